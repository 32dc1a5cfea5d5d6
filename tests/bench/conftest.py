# The benchmarks run real processes: the same broker, SMTP sink and workers as the fault tests.
from tests.notifications.processes import broker, smtp_sink, workers  # noqa: F401
