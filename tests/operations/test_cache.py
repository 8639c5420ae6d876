"""The cache: Redis, shared by every app server, when REDIS_URL is set; local memory otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.operations.test_health import closed_port

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import django, sys; django.setup(); from django.core.cache import caches; "
    "cache = caches['default']; "
    "sys.argv[1] == 'write' and cache.set('shared', 'across servers', 30); "
    "print(type(cache).__name__, cache.get('shared'))"
)


def cache_in_subprocess(mode: str = "write", **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        env=clean | {"SECRET_KEY": "x", "DJANGO_SETTINGS_MODULE": "csp_tracker.settings"} | env,
        cwd=BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_local_memory_without_redis_url():
    assert cache_in_subprocess() == "LocMemCache across servers"


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server not installed")
def test_redis_when_redis_url_is_set():
    port = closed_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(0.5)
        url = f"redis://127.0.0.1:{port}/0"
        assert cache_in_subprocess(REDIS_URL=url) == "RedisCache across servers"
        # Another process (another app server) reads what the first wrote.
        assert cache_in_subprocess("read", REDIS_URL=url) == "RedisCache across servers"
    finally:
        server.terminate()
        server.wait(timeout=10)
