import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_account_email_task(self, *, subject, body, to, html=None, from_email=None):
    """Deliver an account email (verification, password reset, security notice) by SMTP.

    The message was rendered in the recipient's language by the allauth adapter; SMTP and
    network errors are retried with exponential backoff.
    """
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=from_email)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
