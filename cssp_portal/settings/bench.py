"""The crowd benchmark (make bench-load): production settings, served by gunicorn on loopback.

Only what the measurement needs differs from production:

- wrk speaks plain HTTP to 127.0.0.1, with no TLS-terminating proxy in front. Production's HTTPS
  redirect would answer every request with a 301, and its Secure, `__Host-` cookies are only
  valid over HTTPS, so the redirect, HSTS and the Secure cookie flags are off here. What is
  measured is the portal's own work per page; TLS is the proxy's job in production.
- A middleware (outermost, so sessions and authentication count too) puts the number of SQL
  queries, the time spent in them, the statements over 5 ms and the server time in response
  headers, and a trivial view at /bench/trivial gives the baseline the crowd is compared with
  (tests/bench/urls.py).
- Static files are collected to their own folder (BENCH_STATIC_ROOT) so the benchmark never
  overwrites another checkout's collected files.
"""

from .production import *  # noqa: F403
from .production import INSTALLED_APPS, MIDDLEWARE, env

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The `__Host-` prefix requires the Secure flag.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"

# The benchmark's own code (its data generator, `manage.py bench_generate`) lives with it.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.bench"]
ROOT_URLCONF = "tests.bench.urls"
MIDDLEWARE = ["tests.bench.urls.QueryCountMiddleware", *MIDDLEWARE]

STATIC_ROOT = env.path("BENCH_STATIC_ROOT", default="/tmp/cssp-bench-staticfiles")  # noqa: S108
