"""Handing emails to the mail server, many over one connection.

The order of the outbox row's states and the SMTP exchange is decided in services.py (the row
says "sending" before the message leaves and "sent" only after the server's "250"), so this
module only sends whole messages with Django's configured backend and tells a refusal for good
(5xx) from one worth retrying.
"""

import contextlib
import smtplib

from django.core.mail import EmailMessage, get_connection


class PermanentDeliveryError(Exception):
    """The server refused the message for good (5xx): retrying would not help."""


def is_permanent(exc: Exception) -> bool:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(500 <= c < 600 for c in codes)
    return isinstance(exc, PermanentDeliveryError) or (code is not None and 500 <= code < 600)


class Transport:
    """One backend connection reused for every message of a batch."""

    def __init__(self, backend):
        self.backend = backend

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            self.backend.close()

    def send(self, message: EmailMessage) -> None:
        """Deliver `message` or raise. After a failure the connection is dropped: the server may
        be mid-conversation, and the next message starts on a fresh one."""
        try:
            # Opened here, not by send_messages(): a connection it opens itself is closed
            # again after each call, one TCP and SMTP handshake per email.
            self.backend.open()
            if not self.backend.send_messages([message]):
                raise smtplib.SMTPException("the mail backend sent nothing")
        except Exception:
            self._drop()
            raise

    def _drop(self) -> None:
        conn = getattr(self.backend, "connection", None)
        if conn is not None:
            self.backend.connection = None
            with contextlib.suppress(OSError, smtplib.SMTPException):
                conn.close()


def open_transport() -> Transport:
    return Transport(get_connection(fail_silently=False))
