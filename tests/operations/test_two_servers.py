"""Two gunicorn servers on loopback against one PostgreSQL database (the compose file's shape):
officers save through both at once, SEG members read and download, nothing is lost or doubled.
This is ``make loadtest`` in miniature."""

from __future__ import annotations

import socket

import pytest
from django.conf import global_settings
from django.db import connection

from scripts.loadtest import check_exactly_once, prepare, report, run_load
from scripts.two_servers import running_servers

DURATION = 8  # seconds; signing in alone takes a few under load
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two servers share one PostgreSQL database (the suite's PostgreSQL run covers it)",
)


def free_ports(count: int) -> tuple[int, ...]:
    """Ports nothing listens on, all different (each held open until all are chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return tuple(sock.getsockname()[1] for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_database_url() -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


test_database_url.__test__ = False  # a helper, not a test


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_through_two_servers_are_kept_exactly_once(seeded, settings):
    # The servers check passwords with the production hashers, not the suite's fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    cast = prepare(officers=3, seg=1)
    ports = free_ports(2)
    with running_servers(test_database_url(), ports, workers=2, setup=False) as servers:
        results = run_load(cast, servers, duration=DURATION)
    summary = report(results, DURATION)
    assert results.error_count == 0, summary
    assert len(results.saves) >= 6, summary
    assert {kind for kind, _, _ in results.saves} == {"action", "indicator"}
    assert check_exactly_once(cast, results) == []
    assert "report pack download" in summary
