# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    MCPORTAL_ENV=production MCPORTAL_VAR_DIR=/var/lib/mcportal STATIC_ROOT=/app/staticfiles

# WeasyPrint needs Pango; gettext compiles the translations; fonts for the PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libcairo2 \
    fonts-dejavu-core gettext curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# The pinned JSON-LD contexts the credentials are canonicalised with (never fetched at run time).
RUN python credentials/contexts/fetch.py
# Build-time only values; the real ones come from the environment at run time.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only ALLOWED_HOSTS=build PUBLIC_BASE_URL=https://build.invalid IDENTITY_ENCRYPTION_KEY=build-only-build-only-build-only-build CREDENTIAL_SIGNING_KEYS=build-only \
    python manage.py compilemessages --ignore=.venv -v0 \
 && SECRET_KEY=build-only-build-only-build-only-build-only-build-only ALLOWED_HOSTS=build PUBLIC_BASE_URL=https://build.invalid IDENTITY_ENCRYPTION_KEY=build-only-build-only-build-only-build CREDENTIAL_SIGNING_KEYS=build-only \
    python manage.py collectstatic --no-input -v0 \
 && useradd --system --home /app mcportal && mkdir -p /var/lib/mcportal && chown mcportal /var/lib/mcportal
USER mcportal
EXPOSE 8000
CMD ["gunicorn", "mcportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
