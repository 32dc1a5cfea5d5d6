# Real processes for the delivery and fault tests: a throwaway broker, an SMTP sink and workers.
from tests.notifications.processes import broker, smtp_sink, workers  # noqa: F401
