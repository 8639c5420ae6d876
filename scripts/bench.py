"""The benchmark harness (``make bench``): every page and download at a named data size, against
a trivial signed-in view in the same run, written to docs/performance.md.

Builds the data with ``make_synthetic_plans --partnerships`` (kept between runs in a PostgreSQL
database per size), serves it with gunicorn on loopback (DEBUG off), and for each page runs
``--clients`` concurrent clients for ``--duration`` seconds. Queries and bytes come from one
request made in-process. Also times a 1,000-action import and a report's publishing, and reads
each worker's resident memory. Bounded: loopback only, one size per run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from csp_tracker import gunicorn as gunicorn_settings  # noqa: E402
from scripts.two_servers import ensure_database, manage, running_servers, server_env  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent
# Synthetic partnerships at each size. "seed" has one beside the seed plans: the reference
# partnership ("Synthetic CSP 001", made the same way at every size) whose members read the
# pages, so the same page is measured with 0, 29 and 299 other synthetic partnerships.
SIZES = {"seed": 1, "small": 30, "national": 300}
REFERENCE = "Synthetic CSP 001"
# How much slower a member's page may be at a size than at seed size (issue 15).
TARGET_SIZE_RATIO = 1.5
# Each synthetic partnership: 3 active plans of 6 priorities × 10 actions and 6 × 5
# indicators, 5 years of quarters (the national shape: ~60 actions, ~30 indicators).
SHAPE = {"plans": 3, "priorities": 6, "actions": 10, "indicators": 5, "years": 5}
TARGET_P95_MS = 150
TARGET_RATIO = 0.25
TARGET_FIRST_BYTE_MS = 1000  # a full download starts within 1 s
TARGET_RSS_MB = 150  # per worker
DOWNLOADS = ("CSV", "Excel")  # pages whose first byte and workers' peak memory are shown


@dataclass
class Result:
    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] | None = None
    queries: int | None = None
    size: int | None = None
    first_bytes: list[float] | None = None  # seconds to a response's first byte
    peak_rss_mb: float | None = None  # the largest worker while this page ran

    @property
    def is_download(self) -> bool:
        return any(word in self.name for word in DOWNLOADS)

    def first_byte(self, p: int) -> float:
        values = sorted(self.first_bytes or [0.0])
        return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        values = sorted(self.latencies or [0.0])
        return values[min(len(values) - 1, int(len(values) * p / 100))] * 1000


def build(size: str) -> None:
    """Seeds, demo quarters and the size's synthetic partnerships, unless already there."""
    from django.core.management import call_command

    from plans.models import Partnership, Plan

    if not Plan.objects.exists():
        call_command("load_seed_plans", verbosity=0)
        call_command("load_demo_data", verbosity=0)
    have = Partnership.objects.filter(name__startswith="Synthetic CSP ").count()
    if have < SIZES[size]:
        print(f"Making {SIZES[size] - have} synthetic partnerships…", flush=True)
        args = [f"--{key}={value}" for key, value in SHAPE.items()]
        call_command(
            "make_synthetic_plans", f"--partnerships={SIZES[size] - have}", *args, verbosity=0
        )


def analyze() -> None:
    """Fresh planner statistics and visibility maps, as autovacuum keeps them on a live
    server: straight after a bulk load or a migration PostgreSQL has no statistics, and picks
    sequential scans of 1 M rows; without a vacuum, counts cannot read an index alone."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def sessions() -> dict[str, str]:
    """A signed-in session cookie for each reader (two-factor passed where required)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.two_factor import verify_session

    User = get_user_model()
    root, _ = User.objects.get_or_create(
        username="bench-root", defaults={"is_superuser": True, "is_staff": True}
    )
    seg = _member("seg").user
    officer = _member("officer")
    cookies = {}
    for role, user in {"superuser": root, "seg": seg, "officer": officer.user}.items():
        client = Client()
        client.force_login(user)
        if user.is_superuser:
            verify_session(client, user)
        cookies[role] = client.cookies["sessionid"].value
    return cookies


def _member(role: str):
    """The reference partnership's member with this role."""
    from plans.models import Membership

    return Membership.objects.filter(role=role, partnership__name=REFERENCE).order_by("pk").first()


def pages() -> list[tuple[str, str, str]]:
    """(name, reader, path): the issue's pages, read as their users read them."""
    from django.urls import reverse

    from plans.models import ReportingPeriod
    from priorities.models import Action

    seg = _member("seg")
    plan = seg.partnership.plans.order_by("-pk").first()
    period = ReportingPeriod.objects.filter(plan=plan, status="closed").order_by("-pk").first()
    action = Action.objects.filter(priority__plan=plan).order_by("pk").first()
    return [
        ("trivial view (floor)", "seg", "/bench/floor/"),
        ("home (superuser)", "superuser", reverse("home")),
        ("partnership overview", "seg", seg.partnership.get_absolute_url()),
        ("plan page", "seg", plan.get_absolute_url()),
        ("plan dashboard", "seg", reverse("plans:plan_dashboard", args=[plan.pk])),
        ("report pack HTML", "seg", reverse("plans:report_pack", args=[period.pk])),
        ("report pack Excel", "seg", reverse("plans:report_workbook", args=[period.pk])),
        ("actions table (superuser)", "superuser", reverse("priorities:action_list")),
        ("indicators table (superuser)", "superuser", reverse("indicators:indicator_list")),
        ("action page with history", "seg", action.get_absolute_url()),
        ("My updates (officer)", "officer", reverse("plans:my_updates")),
        ("actions CSV, all (superuser)", "superuser",
         reverse("priorities:action_list") + "?export=csv"),
        ("indicators CSV, all (superuser)", "superuser",
         reverse("indicators:indicator_list") + "?export=csv"),
        ("actions CSV, one plan", "seg",
         reverse("priorities:action_list") + f"?plan={plan.pk}&export=csv"),
        ("plan export Excel", "seg", reverse("plans:plan_export", args=[plan.pk])),
    ]  # fmt: skip


def measure_in_process(path: str, cookie: str) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.cookies["sessionid"] = cookie
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        body = response.getvalue()
    return len(queries), len(body)


def load(
    base: str, path: str, cookie: str, *, clients: int, duration: float, port: int | None = None
) -> Result:
    """``clients`` connections asking for ``path`` for ``duration`` seconds; with ``port``,
    the gunicorn workers' resident memory is sampled meanwhile (its peak is kept)."""
    result = Result(path, latencies=[], first_bytes=[])
    lock = threading.Lock()
    host, port_text = base.removeprefix("http://").split(":")
    stop = time.monotonic() + duration

    def client_loop() -> None:
        connection = http.client.HTTPConnection(host, int(port_text), timeout=120)
        while time.monotonic() < stop:
            started = time.monotonic()
            first = None
            try:
                connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
                response = connection.getresponse()
                response.read(1)
                first = time.monotonic() - started
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(host, int(port_text), timeout=120)
            with lock:
                result.requests += 1
                result.errors += 0 if ok else 1
                result.latencies.append(time.monotonic() - started)
                if first is not None:
                    result.first_bytes.append(first)
        connection.close()

    def sample_memory() -> None:
        pids = worker_pids(port)
        peak = 0.0
        while time.monotonic() < stop:
            peak = max([peak, *(rss_mb(pid) for pid in pids)])
            time.sleep(0.1)
        result.peak_rss_mb = peak or None

    started = time.monotonic()
    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    if port is not None:
        threads.append(threading.Thread(target=sample_memory))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def timed_import_and_publish() -> dict[str, float]:
    """Seconds to import a 1,000-action workbook, to publish a quarter's report and to make
    its PDF (on first download, since publishing no longer does)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from plans.importing.services import plan_import
    from plans.models import Partnership, ReportingPeriod
    from plans.reporting.publishing import published_pdf, report_publish
    from plans.synthetic import make_synthetic_plans
    from plans.workbook.export import plan_workbook

    timings = {}

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            scratch = Partnership.objects.create(name="Bench scratch", area="Bench")
            (plan,) = make_synthetic_plans(
                partnership=scratch, priorities=10, actions=100, indicators=5, first_year=2090
            )
            content = plan_workbook(plan)
            plan.delete()
            started = time.perf_counter()
            plan_import(
                content=content,
                partnership=scratch,
                create_agencies={a.name for a in scratch.agencies.all()} | _agency_names(),
            )
            timings["import of a 1,000-action workbook"] = time.perf_counter() - started
            raise Undo
    except Undo:
        pass
    period = (
        ReportingPeriod.objects.filter(
            plan__partnership__name__startswith="Synthetic CSP", status="closed"
        )
        .order_by("-pk")
        .first()
        or ReportingPeriod.objects.order_by("-pk").first()
    )
    admin = get_user_model().objects.get(username="bench-root")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            published = report_publish(period=period, user=admin, reason="Benchmark")
            timings["report publishing"] = time.perf_counter() - started
            # Publishing no longer makes the PDF: its first download does, once.
            started = time.perf_counter()
            published_pdf(published)
            timings["a published report's PDF, made on first download"] = (
                time.perf_counter() - started
            )
            raise Undo
    except Undo:
        pass
    return timings


def _agency_names() -> set[str]:
    from plans.models import Agency

    return set(Agency.objects.values_list("name", flat=True))


def worker_pids(port: int) -> list[int]:
    """The gunicorn workers serving ``port``: the children of its arbiter (Linux /proc)."""
    parents = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = dict(line.split(":", 1) for line in (proc / "status").read_text().splitlines())
        except (OSError, ValueError):
            continue
        if "gunicorn" in command and f"127.0.0.1:{port}" in command:
            parents[int(proc.name)] = int(status["PPid"])
    return sorted(pid for pid, ppid in parents.items() if ppid in parents)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, 0 when it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def worker_rss_mb(port: int) -> list[float]:
    """Resident memory of each gunicorn worker serving ``port``."""
    return sorted(rss_mb(pid) for pid in worker_pids(port))


def table(results: list[Result], floor: Result) -> str:
    lines = [
        f"Within target: a page's p95 ≤ {TARGET_P95_MS} ms and ≥ {TARGET_RATIO:.0%} of the "
        f"floor's throughput; a download's first byte p95 ≤ {TARGET_FIRST_BYTE_MS} ms with "
        f"every worker ≤ {TARGET_RSS_MB} MB (it streams).",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | errors | queries | bytes | vs floor | "
        "within target | first byte p95 ms (downloads) | peak worker RSS MB (downloads) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = r.rate / floor.rate if floor.rate else 0
        if r.is_download:
            meets = r.first_byte(95) <= TARGET_FIRST_BYTE_MS and not r.errors
            meets = meets and (r.peak_rss_mb or 0) <= TARGET_RSS_MB
        else:
            meets = r.percentile(95) <= TARGET_P95_MS and ratio >= TARGET_RATIO and not r.errors
        mark = "—" if r is floor else ("yes" if meets else "**no**")
        first = rss = "—"
        if r.is_download:
            first = f"{r.first_byte(95):.0f}"
            if r.first_byte(95) > TARGET_FIRST_BYTE_MS:
                first = f"**{first}**"
            rss = f"{r.peak_rss_mb:.0f}" if r.peak_rss_mb else "not measured"
        lines.append(
            f"| {r.name} | {r.rate:.1f} | {r.percentile(50):.0f} | {r.percentile(95):.0f} | "
            f"{r.percentile(99):.0f} | {r.errors} | {r.queries} | {r.size:,} | {ratio:.0%} | "
            f"{mark} | {first} | {rss} |"
        )
    return "\n".join(lines)


def seed_p50s(out: Path) -> dict[str, float]:
    """Each page's p50 in the seed-size section of ``out``, divided by that run's floor p50."""
    text = out.read_text() if out.exists() else ""
    start = text.find('## Size "seed"')
    if start < 0:
        return {}
    end = text.find("\n## ", start + 1)
    rows = {}
    for line in text[start : end if end >= 0 else None].splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) > 3 and cells[2].replace(".", "").isdigit():
            rows[cells[0]] = float(cells[2])
    floor = rows.pop("trivial view (floor)", None)
    return {name: p50 / floor for name, p50 in rows.items()} if floor else {}


def size_table(results: list[Result], floor: Result, seed: dict[str, float], members) -> str:
    """The same member's page here and at seed size, each p50 over its own run's floor p50 (so
    a busier or quieter machine on the day does not count)."""
    if not seed:
        return "No seed-size run in this file to compare with: run `make bench SIZE=seed`."
    lines = [
        "| page (a partnership member's) | p50 / floor p50 at seed size | here | ratio | "
        f"within {TARGET_SIZE_RATIO}× |",
        "|---|---|---|---|---|",
    ]
    floor_p50 = floor.percentile(50) or 1
    for r in results:
        if r.name in members and r.name in seed:
            here = r.percentile(50) / floor_p50
            ratio = here / seed[r.name] if seed[r.name] else 0
            mark = "yes" if ratio <= TARGET_SIZE_RATIO else "**no**"
            lines.append(f"| {r.name} | {seed[r.name]:.2f} | {here:.2f} | {ratio:.2f}× | {mark} |")
    return "\n".join(lines)


def report(args, results, floor, timings, rss, counts, members=()) -> str:
    machine = f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()}, Python "
    machine += f"{platform.python_version()}, {platform.system()} {platform.release()})"
    timed = "\n".join(f"- {name}: {seconds:.2f} s" for name, seconds in timings.items())
    threads = args.threads or gunicorn_settings.threads
    sizes = ""
    if args.size != "seed":
        seed = seed_p50s(Path(args.out))
        sizes = f"\nThe same pages of {REFERENCE} at seed size:\n\n"
        sizes += size_table(results, floor, seed, set(members)) + "\n"
    return f"""## Size "{args.size}", measured {date.today().isoformat()}

{counts}. Machine: {machine}. gunicorn {args.workers} workers × {threads} threads,
DEBUG off, PostgreSQL, {args.clients} concurrent clients, {args.duration:g} s per page.

{table(results, floor)}
{sizes}
{timed}
- RSS per worker after the run: {", ".join(f"{mb:.0f} MB" for mb in rss) or "not measured"}
"""


def counts_line() -> str:
    from indicators.models import IndicatorValue
    from plans.models import Partnership
    from priorities.models import Action, ActionUpdate

    return (
        f"{Partnership.objects.count()} partnerships, {Action.objects.count():,} actions, "
        f"{ActionUpdate.objects.count():,} action updates, "
        f"{IndicatorValue.objects.count():,} indicator values"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="seed")
    parser.add_argument("--database-url")
    parser.add_argument("--duration", type=float, default=15, help="seconds per page")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, help="gunicorn threads per worker (csp_tracker/gunicorn.py's)"
    )
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--out", default=str(BASE_DIR / "docs" / "performance.md"))
    parser.add_argument("--build-only", action="store_true", help="make the data, measure nothing")
    parser.add_argument(
        "--only", help="measure only the pages whose names contain one of these (comma-separated)"
    )
    args = parser.parse_args()
    database_url = args.database_url or f"postgres://postgres@127.0.0.1:5432/csp_bench_{args.size}"
    os.environ.update(server_env(database_url, BENCHMARK_FLOOR="true"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_tracker.settings")
    ensure_database(database_url)
    manage(database_url, "migrate", "--noinput")
    manage(database_url, "collectstatic", "--noinput")  # DEBUG off: the manifest is needed
    import django

    django.setup()
    build(args.size)
    analyze()
    if args.build_only:
        print(counts_line())
        return 0
    cookies = sessions()
    visits = pages()
    if args.only:
        wanted = [word.strip() for word in args.only.split(",")]
        visits = visits[:1] + [v for v in visits[1:] if any(w in v[0] for w in wanted)]
    measured = {name: measure_in_process(path, cookies[who]) for name, who, path in visits}
    timings = timed_import_and_publish()
    results = []
    with running_servers(
        database_url, (args.port,), workers=args.workers, threads=args.threads, setup=False
    ) as urls:
        for _name, who, path in visits:  # warm each worker: imports, templates, caches
            load(urls[0], path, cookies[who], clients=args.workers, duration=0.5)
        for name, who, path in visits + visits[:1]:  # the floor again at the end
            result = load(
                urls[0],
                path,
                cookies[who],
                clients=args.clients,
                duration=args.duration,
                port=args.port,
            )
            result.name = name
            result.queries, result.size = measured[name]
            results.append(result)
            print(
                f"{name}: {result.rate:.1f} req/s, p95 {result.percentile(95):.0f} ms", flush=True
            )
        rss = worker_rss_mb(args.port)
    floor = results.pop()
    floor.requests += results[0].requests
    floor.seconds += results[0].seconds
    floor.latencies += results[0].latencies
    results[0] = floor  # before and after the pages, together
    members = [name for name, who, _path in visits[1:] if who != "superuser"]
    section = report(args, results, floor, timings, rss, counts_line(), members)
    if not args.only:  # a partial run is for the developer, not the record
        write(Path(args.out), args.size, section)
    print(section)
    return 1 if any(r.errors for r in results) else 0


def write(out: Path, size: str, section: str) -> None:
    """Replace this size's section of ``out`` (other sizes' results stay)."""
    head = "# Performance\n\nWritten by `make bench` (scripts/bench.py); one section per size.\n"
    text = out.read_text() if out.exists() else head
    start = text.find(f'## Size "{size}"')
    if start >= 0:
        end = text.find("\n## Size ", start + 1)
        text = text[:start] + text[end + 1 :] if end >= 0 else text[:start]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.rstrip() + "\n\n" + section)


if __name__ == "__main__":
    sys.exit(main())
