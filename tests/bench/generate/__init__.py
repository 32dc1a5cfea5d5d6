"""The load benchmark's data set, one module per kind of data, run in order by
`manage.py bench_generate` (tests/bench/management/commands/bench_generate.py)."""
