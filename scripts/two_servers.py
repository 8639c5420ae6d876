"""Two app servers on two loopback ports against one database: the shape of the compose file
(two app containers behind nginx, one PostgreSQL) without Docker.

    .venv/bin/python scripts/two_servers.py --database-url postgres://postgres@127.0.0.1:5432/csp_two

migrates the database, collects static files, starts gunicorn on 127.0.0.1:8101 and :8102 and
waits for both health checks; Ctrl-C stops both. Plain HTTP on loopback only, so the HTTPS
redirect and Secure cookies are switched off for these servers (never do that in production).
Tests and ``make loadtest`` use ``running_servers`` from here.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PORTS = (8101, 8102)


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return (
        env
        | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "loopback-servers-only-not-a-secret",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),  # as in production
        }
        | extra
    )


def manage(database_url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        env=server_env(database_url), cwd=BASE_DIR, check=True, capture_output=True,
    )  # fmt: skip


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database if it does not exist yet (SQLite makes its own)."""
    url = urlsplit(database_url)
    if not url.scheme.startswith("postgres"):
        return
    import psycopg2

    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
        dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not become healthy")
        time.sleep(0.2)


@contextmanager
def running_servers(
    database_url: str,
    ports: tuple[int, ...] = DEFAULT_PORTS,
    *,
    workers: int = 2,
    threads: int | None = None,
    setup: bool = True,
) -> Iterator[list[str]]:
    """Start one gunicorn per port (``setup``: migrate and collectstatic first); yields their
    base URLs; stops them on leaving."""
    if setup:
        manage(database_url, "migrate", "--noinput")
    manage(database_url, "collectstatic", "--noinput")  # DEBUG off: the manifest is needed
    processes = []
    try:
        for port in ports:
            command = [
                sys.executable, "-m", "gunicorn", "-c", "python:csp_tracker.gunicorn",
                "csp_tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                "--log-level", "warning",
            ]  # fmt: skip
            if threads:  # else csp_tracker/gunicorn.py's, as in production
                command += ["--threads", str(threads), "--worker-connections", str(threads)]
            processes.append(subprocess.Popen(command, env=server_env(database_url), cwd=BASE_DIR))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            wait_healthy(url)
        yield urls
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/csp_two"),
    )
    parser.add_argument("--ports", type=int, nargs="+", default=list(DEFAULT_PORTS))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ensure_database(args.database_url)
    with running_servers(args.database_url, tuple(args.ports), workers=args.workers) as urls:
        print("Serving on " + " and ".join(urls) + " (Ctrl-C stops both)", flush=True)
        with suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
