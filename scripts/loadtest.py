"""A bounded load and soak check through two app servers on loopback (``make loadtest``).

For ``--duration`` seconds, ``--officers`` officers save action updates and indicator values
(each on their own delegated actions and indicators, round-robin across both servers) while
``--seg`` SEG members read the plan dashboard and the quarter's report pack and download its
workbook. Prints requests, errors and p50/p95/p99 per page, then checks that every save that
was confirmed is in the database exactly once, and nothing else is. Exits 1 on any error.

A plain Python client (threads, ``http.client``) is enough at this size and needs no extra
dependency; Locust would add a web UI and distributed workers we do not need.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-not-secret"
PLAN_TITLE = "Swale Community Safety Plan 2019/20"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version"(?: value="(\d*)")?')


@dataclass
class Officer:
    username: str
    actions: list[int]
    indicators: list[int]


@dataclass
class Cast:
    """Who takes part, and what they work on; made by ``prepare``."""

    run: str  # marks this run's saves
    period: int
    plan: int
    officers: list[Officer]
    seg: list[str]
    start_versions: dict[str, int]  # "action:<pk>" / "indicator:<pk>" → version before


@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    saves: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, pk, token)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.timings[page].append(seconds)
            if error:
                self.errors[page].append(error)

    @property
    def error_count(self) -> int:
        return sum(len(e) for e in self.errors.values())


def prepare(*, officers: int, seg: int, actions_each: int = 3) -> Cast:
    """Users, memberships and delegations for the run, on the Swale seed plan, with a quarter
    open for updates. Needs Django set up."""
    from django.contrib.auth import get_user_model

    from indicators.models import Indicator
    from plans.models import Membership, Plan
    from plans.services import period_open
    from priorities.models import Action

    plan = Plan.objects.get(title=PLAN_TITLE)
    period = period_open(plan=plan, year=2019, quarter=3, deadline=date(2099, 12, 31))
    actions = list(Action.objects.filter(priority__plan=plan).order_by("pk"))
    indicators = list(Indicator.objects.filter(plan=plan).order_by("pk"))
    if len(actions) < officers * actions_each or len(indicators) < officers:
        raise SystemExit(f"{PLAN_TITLE} has too few actions for {officers} officers")

    def user(username: str, role: str):
        account, _ = get_user_model().objects.get_or_create(username=username)
        account.set_password(PASSWORD)
        account.save()
        Membership.objects.get_or_create(user=account, partnership=plan.partnership, role=role)
        return account

    cast = Cast(run=uuid.uuid4().hex[:8], period=period.pk, plan=plan.pk, officers=[], seg=[],
                start_versions={})  # fmt: skip
    share = len(indicators) // officers
    for n in range(officers):
        account = user(f"load-officer-{n + 1}", Membership.Role.OFFICER)
        mine = actions[n * actions_each : (n + 1) * actions_each]
        values = indicators[n * share : (n + 1) * share][:actions_each]
        for item in mine + values:
            item.delegates.add(account)
        cast.officers.append(
            Officer(account.username, [a.pk for a in mine], [i.pk for i in values])
        )
    for n in range(seg):
        cast.seg.append(user(f"load-seg-{n + 1}", Membership.Role.SEG).username)
    cast.start_versions = current_versions(cast)
    return cast


def current_versions(cast: Cast) -> dict[str, int]:
    from indicators.models import IndicatorValue
    from priorities.models import ActionUpdate

    versions = {}
    for officer in cast.officers:
        for pk in officer.actions:
            update = ActionUpdate.objects.filter(action_id=pk, period_id=cast.period).first()
            versions[f"action:{pk}"] = update.version if update else 0
        for pk in officer.indicators:
            value = IndicatorValue.objects.filter(indicator_id=pk, period_id=cast.period).first()
            versions[f"indicator:{pk}"] = value.version if value else 0
    return versions


class Browser:
    """One user's cookies, and a kept-alive connection to each server."""

    def __init__(self, servers: list[str]) -> None:
        self.servers = [urlsplit(url) for url in servers]
        self.connections: dict[int, http.client.HTTPConnection] = {}
        self.cookies: dict[str, str] = {}
        self.turn = 0

    def request(self, method: str, path: str, form: dict | None = None):
        self.turn += 1
        index = self.turn % len(self.servers)  # round-robin, as the proxy would
        server = self.servers[index]
        if index not in self.connections:
            self.connections[index] = http.client.HTTPConnection(
                server.hostname, server.port, timeout=60
            )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"{server.scheme}://{server.netloc}{path}"
        connection = self.connections[index]
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            del self.connections[index]
            raise
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        location = response.getheader("Location", "")
        return response.status, location, content.decode("utf-8", "replace")

    def close(self) -> None:
        for connection in self.connections.values():
            connection.close()


def timed(results: Results, page: str, expect: int, call):
    start = time.perf_counter()
    try:
        status, location, text = call()
    except Exception as error:  # noqa: BLE001 (any failure is an error to report)
        results.record(page, time.perf_counter() - start, f"{type(error).__name__}: {error}")
        return None
    error = None if status == expect else f"HTTP {status} (expected {expect}) {location}"
    results.record(page, time.perf_counter() - start, error)
    return None if error else (status, location, text)


def sign_in(browser: Browser, results: Results, username: str) -> bool:
    page = timed(results, "sign-in form", 200, lambda: browser.request("GET", "/sign-in/"))
    if page is None:
        return False
    form = {"csrfmiddlewaretoken": CSRF.search(page[2]).group(1), "username": username,
            "password": PASSWORD}  # fmt: skip
    return timed(results, "sign in", 302, lambda: browser.request("POST", "/sign-in/", form))


def save_form(browser, results, page: str, url: str, fields: dict) -> bool:
    """GET the form (its CSRF token and version), POST it; True when the save was confirmed."""
    got = timed(results, f"{page} form", 200, lambda: browser.request("GET", url))
    if got is None:
        return False
    version = VERSION.search(got[2])
    form = fields | {
        "csrfmiddlewaretoken": CSRF.search(got[2]).group(1),
        "version": (version.group(1) or "") if version else "",
    }
    return timed(results, f"{page} save", 302, lambda: browser.request("POST", url, form))


def officer_loop(officer: Officer, cast: Cast, servers, results: Results, stop: float) -> None:
    browser = Browser(servers)
    if not sign_in(browser, results, officer.username):
        return
    n = 0
    while time.monotonic() < stop:
        n += 1
        token = f"load {cast.run} {officer.username} {n}"
        action = officer.actions[n % len(officer.actions)]
        url = f"/actions/{action}/update/{cast.period}/"
        fields = {"status": "on_track", "commentary": token, "next_steps": "", "action": "save"}
        if save_form(browser, results, "action update", url, fields):
            with results.lock:
                results.saves.append(("action", action, token))
        indicator = officer.indicators[n % len(officer.indicators)]
        url = f"/indicators/{indicator}/value/{cast.period}/"
        if save_form(browser, results, "indicator value", url, {"value": str(n), "note": token}):
            with results.lock:
                results.saves.append(("indicator", indicator, token))
    browser.close()


def seg_loop(username: str, cast: Cast, servers, results: Results, stop: float) -> None:
    browser = Browser(servers)
    if not sign_in(browser, results, username):
        return
    pages = [
        ("plan dashboard", f"/plans/{cast.plan}/dashboard/"),
        ("report pack", f"/quarters/{cast.period}/report/"),
        ("report pack download", f"/quarters/{cast.period}/report.xlsx"),
    ]
    while time.monotonic() < stop:
        for page, url in pages:
            timed(results, page, 200, lambda url=url: browser.request("GET", url))
    browser.close()


def run_load(cast: Cast, servers: list[str], duration: float) -> Results:
    results = Results()
    stop = time.monotonic() + duration
    threads = [
        threading.Thread(target=officer_loop, args=(o, cast, servers, results, stop))
        for o in cast.officers
    ]
    threads += [
        threading.Thread(target=seg_loop, args=(s, cast, servers, results, stop)) for s in cast.seg
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def check_exactly_once(cast: Cast, results: Results) -> list[str]:
    """Every confirmed save is stored once; nothing unconfirmed was stored. Needs Django."""
    from django.db.models import Count

    from indicators.models import IndicatorValue
    from priorities.models import ActionUpdate, ActionUpdateVersion

    problems = []
    made = defaultdict(list)
    for kind, pk, token in results.saves:
        made[(kind, pk)].append(token)
    stored = dict(
        ActionUpdateVersion.objects.filter(commentary__startswith=f"load {cast.run} ")
        .values_list("commentary")
        .annotate(n=Count("pk"))
    )
    confirmed = {t for kind, _, t in results.saves if kind == "action"}
    for token in confirmed - stored.keys():
        problems.append(f"lost: {token}")
    problems += [f"stored {n} times: {t}" for t, n in stored.items() if n != 1]
    problems += [f"stored but not confirmed: {t}" for t in stored.keys() - confirmed]
    for (kind, pk), tokens in made.items():
        key = f"{kind}:{pk}"
        if kind == "action":
            row = ActionUpdate.objects.get(action_id=pk, period_id=cast.period)
            last = row.commentary
        else:
            row = IndicatorValue.objects.get(indicator_id=pk, period_id=cast.period)
            last = row.note
        if row.version != cast.start_versions[key] + len(tokens):
            problems.append(f"{key}: version {row.version}, expected "
                            f"{cast.start_versions[key]} + {len(tokens)} saves")  # fmt: skip
        if last != tokens[-1]:
            problems.append(f"{key}: holds {last!r}, the last save was {tokens[-1]!r}")
    return problems


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report(results: Results, duration: float) -> str:
    lines = [f"{'page':<24}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"]
    for page in sorted(results.timings):
        times = [t * 1000 for t in results.timings[page]]
        lines.append(
            f"{page:<24}{len(times):>9}{len(results.errors[page]):>8}"
            f"{percentile(times, 50):>9.0f}{percentile(times, 95):>9.0f}"
            f"{percentile(times, 99):>9.0f}"
        )
    total = sum(len(t) for t in results.timings.values())
    lines.append(f"{'all':<24}{total:>9}{results.error_count:>8}   "
                 f"({total / duration:.1f} requests/s over {duration:.0f} s)")  # fmt: skip
    for page, errors in results.errors.items():
        lines += [f"  {page}: {e}" for e in errors[:5]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--officers", type=int, default=6)
    parser.add_argument("--seg", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL",
                               "postgres://postgres@127.0.0.1:5432/csp_loadtest"),
    )  # fmt: skip
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    from scripts.two_servers import ensure_database, manage, running_servers, server_env

    ensure_database(args.database_url)
    manage(args.database_url, "migrate", "--noinput")
    manage(args.database_url, "load_seed_plans")
    os.environ.update(server_env(args.database_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_tracker.settings")
    import django

    django.setup()
    cast = prepare(officers=args.officers, seg=args.seg)
    with running_servers(args.database_url, workers=args.workers, setup=False) as servers:
        print(f"{args.officers} officers and {args.seg} SEG members for {args.duration:.0f} s "
              f"through {' and '.join(servers)}", flush=True)  # fmt: skip
        results = run_load(cast, servers, args.duration)
    print(report(results, args.duration))
    problems = check_exactly_once(cast, results)
    print(f"Saves confirmed: {len(results.saves)}; exactly once in the database: "
          + ("yes" if not problems else "NO"))  # fmt: skip
    for problem in problems[:20]:
        print(f"  {problem}")
    return 1 if problems or results.error_count else 0


if __name__ == "__main__":
    sys.exit(main())
