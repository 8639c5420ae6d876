"""gunicorn's settings for CSP Tracker: ``gunicorn -c python:csp_tracker.gunicorn csp_tracker.wsgi``
(README, Dockerfile, the test servers and ``make bench`` all start it this way).

Threads, so that a long download (a superuser's CSV of every action) holds one thread, not a
whole worker, and the pages asked for meanwhile are not queued behind it. A worker takes no
more connections than it has threads, so a busy worker leaves new ones to an idle one (as
sync workers do), and connections are not kept alive, so an idle browser holds no thread.
Set ``MALLOC_ARENA_MAX=2`` in the environment too: without it each thread's malloc arena
adds to every worker's memory.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 3))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_connections = threads
keepalive = 0
# Above DB_STATEMENT_TIMEOUT (30 s), so a slow query ends as a 503 page, not a killed worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 45))
