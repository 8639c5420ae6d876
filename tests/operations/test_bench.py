"""The benchmark harness's report: a section per size, replaced on the next run of that size;
rows judged against the targets and the floor measured in the same run."""

from __future__ import annotations

from scripts.bench import Result, table, write


def test_each_size_keeps_one_section(tmp_path):
    out = tmp_path / "performance.md"
    write(out, "seed", '## Size "seed", measured 1\n\nfirst\n')
    write(out, "national", '## Size "national", measured 1\n\nbig\n')
    write(out, "seed", '## Size "seed", measured 2\n\nsecond\n')
    text = out.read_text()
    assert text.startswith("# Performance")
    assert "first" not in text and text.count('## Size "seed"') == 1
    assert "second" in text and "big" in text


def test_rows_are_judged_against_p95_and_the_floor():
    floor = Result("floor", requests=1000, seconds=1, latencies=[0.004] * 1000, queries=4, size=2)
    fast = Result("fast", requests=300, seconds=1, latencies=[0.02] * 300, queries=6, size=900)
    slow = Result("slow", requests=100, seconds=1, latencies=[0.2] * 100, queries=9, size=900)
    rows = table([floor, fast, slow], floor).splitlines()[2:]  # after the targets' legend
    assert rows[3].startswith("| fast | 300.0 |") and rows[3].endswith("| 30% | yes | — | — |")
    assert rows[4].endswith("| 10% | **no** | — | — |")  # pages: no first byte or memory


def test_downloads_show_their_first_byte_and_the_workers_peak_memory():
    floor = Result("floor", requests=1000, seconds=1, latencies=[0.004] * 1000, queries=4, size=2)
    csv = Result(
        "actions CSV, all (superuser)", requests=4, seconds=1, latencies=[2.0] * 4, queries=3,
        size=4_000_000, first_bytes=[0.2, 0.3, 0.25, 0.4], peak_rss_mb=131.6,
    )  # fmt: skip
    late = Result(
        "indicators CSV, all (superuser)", requests=2, seconds=1, latencies=[3.0] * 2,
        queries=3, size=2_000_000, first_bytes=[1.5, 2.5], peak_rss_mb=None,
    )  # fmt: skip
    big = Result(
        "plan export Excel", requests=20, seconds=1, latencies=[0.05] * 20, queries=3,
        size=90_000, first_bytes=[0.05] * 20, peak_rss_mb=151.0,
    )  # fmt: skip
    legend, _, *rows = table([floor, csv, late, big], floor).splitlines()
    assert "first byte p95 ≤ 1000 ms" in legend and "≤ 150 MB" in legend
    assert "first byte" in rows[0] and "peak worker RSS" in rows[0]
    assert rows[2].startswith("| floor |") and rows[2].endswith("| — | — |")
    # A download is judged by its first byte and the workers' memory, not its whole time.
    assert rows[3].endswith("| yes | 400 | 132 |")
    assert rows[4].endswith("| **no** | **2500** | not measured |")  # over 1 s: marked
    assert rows[5].endswith("| **no** | 50 | 151 |")  # a worker over 150 MB
