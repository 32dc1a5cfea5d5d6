"""The bound `make bench-floors` writes on the crowd's ratio, read from the crowd benchmark's
own report (tests/bench/floors.py, tests/bench/bench_load.py): if the crowd report's CPU line
changes its form, the bound says it cannot be read instead of printing a wrong number."""

from tests.bench.bench_load import _cpu_line
from tests.bench.floors import ratio_bound
from tests.bench.load_support import CpuUse


def _crowd_report(tmp_path, *, cpu_line: str):
    path = tmp_path / "crowd.md"
    path.write_text(
        "# Crowd benchmark\n\n## Targets\n\n"
        "Crowd: **200.0 req/s** (12,000 requests), **0.100** of the trivial view, latency p50 "
        "60 ms, p95 **90 ms**, p99 110 ms.\n\n" + cpu_line + "\n",
        encoding="utf-8",
    )
    return path


def test_the_bound_keeps_the_other_processes_cpu_and_takes_the_templates_share_of_gunicorns(
    tmp_path,
):
    # As the crowd benchmark writes it: 2,000 requests in 10 s on 2 cores; gunicorn 6 ms a
    # request, PostgreSQL 2 ms.
    use = CpuUse(seconds=10, cores=2, busy=17.0, by={"gunicorn": 12.0, "PostgreSQL": 4.0})
    line = _cpu_line({"cpu": use, "requests": 2000, "trivial": 2000.0})
    report = _crowd_report(tmp_path, cpu_line=line)

    text = ratio_bound(report, 0.5)

    # 8 ms a request, of which gunicorn's 6 fall by half: 0.100 x 8 / 5.
    assert "0.100 of the trivial view with 8.0 ms" in text
    assert "6.0 of them gunicorn's" in text
    assert "at most **0.160**" in text


def test_a_report_without_the_cpu_line_gives_no_number(tmp_path):
    report = _crowd_report(tmp_path, cpu_line="- CPU during the crowd: not measured.")

    assert ratio_bound(report, 0.5) == f"{report} does not give the crowd's ratio and CPU line."
    assert "run make bench-load" in ratio_bound(tmp_path / "missing.md", 0.5)
