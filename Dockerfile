FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=cssp_portal.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 portal
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN pip install -c constraints.txt .
COPY . .
# Build-time only values: collectstatic and compilemessages need settings, not secrets (the
# production settings refuse to load without these variables; nothing is connected to).
RUN export DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=localhost \
    REDIS_URL=redis://build.invalid:6379/0 SITE_URL=https://build.invalid \
    && python manage.py compilemessages -l fr -i .venv -v 0 \
    && python manage.py collectstatic --noinput -v 0 \
    && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "cssp_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--preload", "--no-control-socket", "--access-logfile", "-"]
