# CSP Tracker: the README's production steps as an image (gunicorn + WhiteNoise).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# postgresql-client: pg_dump/pg_restore for backups from the cron container.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 csp

WORKDIR /srv/csp
COPY pyproject.toml README.md ./
COPY csp_tracker csp_tracker
COPY plans plans
COPY priorities priorities
COPY indicators indicators
COPY templates templates
COPY static static
COPY fixtures fixtures
COPY manage.py ./
RUN pip install . && mkdir -p var/media && chown -R csp var

# collectstatic needs a key to import the settings; it is not kept.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput && chown -R csp var

USER csp
EXPOSE 8000
# --timeout above DB_STATEMENT_TIMEOUT (30 s): a slow query ends as a 503 page.
# Settings in csp_tracker/gunicorn.py (3 workers × 4 threads, 45 s timeout); fewer malloc
# arenas keep each threaded worker small.
ENV MALLOC_ARENA_MAX=2
CMD ["gunicorn", "-c", "python:csp_tracker.gunicorn", "csp_tracker.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
