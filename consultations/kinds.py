"""The emails consultations send (autodiscovered by the notifications app)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register

CONSULTATION_OPENED = "consultations.opened"
CONSULTATION_REMINDER = "consultations.reminder"
CONSULTATION_PUBLISHED = "consultations.published"

register(
    Kind(
        code=CONSULTATION_OPENED,
        label=_("New consultations"),
        description=_("A consultation you are invited to answer has opened."),
        template="consultations/email/opened",
    ),
    Kind(
        code=CONSULTATION_REMINDER,
        label=_("Consultation reminders"),
        description=_("A consultation you have not answered yet closes soon."),
        template="consultations/email/reminder",
    ),
    Kind(
        code=CONSULTATION_PUBLISHED,
        label=_("What we heard"),
        description=_("The summary of a consultation you were invited to answer is published."),
        template="consultations/email/published",
    ),
)
