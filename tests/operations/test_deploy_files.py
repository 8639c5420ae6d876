"""The Dockerfile, compose.yaml and nginx config: their shape here, and built and started only
where a Docker daemon answers (not on the machine they were written on)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from csp_tracker import gunicorn as gunicorn_settings
from plans.importing import LIMITS

BASE_DIR = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "compose.yaml").read_text())


def test_compose_runs_two_app_servers_behind_nginx_with_postgresql_and_cron():
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres")
    for name in ("app1", "app2", "cron"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["SECURE_PROXY_SSL_HEADER"] == "HTTP_X_FORWARDED_PROTO"
    assert "send_update_reminders" in " ".join(services["cron"]["command"])
    assert "/healthz" in " ".join(services["app1"]["healthcheck"]["test"])
    nginx = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    assert "server app1:8000" in nginx and "server app2:8000" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx


def test_nginx_accepts_bodies_above_the_import_limit():
    nginx = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    assert megabytes * 1024 * 1024 > LIMITS["max_bytes"]


def test_gunicorn_outlasts_the_statement_timeout(settings):
    assert gunicorn_settings.timeout > settings.DB_STATEMENT_TIMEOUT


def test_every_gunicorn_is_started_with_the_one_settings_module():
    """The image, the README and the test servers use csp_tracker/gunicorn.py: threads that
    take no more connections than they can serve, and small malloc arenas."""
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    readme = (BASE_DIR / "README.md").read_text()
    for text in (dockerfile, readme):
        assert "python:csp_tracker.gunicorn" in text and "MALLOC_ARENA_MAX=2" in text
    assert '"--timeout"' not in dockerfile and '"--workers"' not in dockerfile
    assert gunicorn_settings.threads > 1
    assert gunicorn_settings.worker_connections == gunicorn_settings.threads
    assert gunicorn_settings.keepalive == 0


def docker_available() -> bool:
    if not shutil.which("docker"):
        return False
    info = subprocess.run(["docker", "info"], capture_output=True)
    compose_plugin = subprocess.run(["docker", "compose", "version"], capture_output=True)
    return info.returncode == 0 and compose_plugin.returncode == 0


@pytest.mark.skipif(
    not docker_available(),
    reason="no Docker daemon or compose plugin here; tests/operations/test_two_servers.py "
    "tests the same shape (two app servers, one PostgreSQL) without Docker",
)
def test_compose_builds_and_serves_the_health_check(tmp_path):
    project = ["docker", "compose", "-p", "csp-tracker-test", "-f", str(BASE_DIR / "compose.yaml")]
    env = {"SECRET_KEY": "compose-test-only-" + "x" * 40, "PATH": "/usr/bin:/bin"}
    subprocess.run([*project, "up", "-d", "--build"], env=env, check=True, timeout=1200)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen("http://localhost:8080/healthz", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)
    finally:
        subprocess.run([*project, "down", "-v"], env=env, timeout=300)
