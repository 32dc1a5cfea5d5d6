# The two commands a newcomer needs:  make run   and   make test   (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
I18N_IGNORE := -i .venv -i .venv-serve -i node_modules -i staticfiles -i media

.PHONY: install run test check lint imports format migrations-check messages messages-check compilemessages worker beat bench bench-load bench-floors clean

# (Re)install whenever the dependency list changes.
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## The crowd benchmark's server runs with the production dependencies only, installed as the
## Dockerfile installs them: a development tool that a library imports when it finds it (REST
## framework imports Pygments, Celery greenlet) is not in production's workers either.
SERVE_VENV := .venv-serve
$(SERVE_VENV)/.installed: pyproject.toml constraints.txt
	test -x $(SERVE_VENV)/bin/python || $(PYTHON) -m venv $(SERVE_VENV)
	$(SERVE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SERVE_VENV)/bin/python -m pip install --quiet -c constraints.txt .
	touch $@

compilemessages: install
	$(PY) manage.py compilemessages -l fr $(I18N_IGNORE) -v 0

## The portal at http://$(HOST):$(PORT), seeded with the CSSP data (and demo accounts and
## content on the embedded default). DATABASE_URL / REDIS_URL / EMAIL_URL switch to real
## services. Emails and calendar files link to SITE_URL, by default the address served here.
## Without REDIS_URL the server also runs the periodic work (cssp_portal/devscheduler.py).
run: export SITE_URL := $(or $(SITE_URL),http://$(HOST):$(PORT))
run: compilemessages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_cssp --demo-accounts
	$(PY) manage.py runserver $(HOST):$(PORT)

## The whole test suite against the real PostgreSQL and Redis on 127.0.0.1, in TEST_WORKERS
## parallel processes (each with its own test database and Redis database).
TEST_WORKERS ?= 2
test: compilemessages
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## What CI checks besides the tests: lint, the import contracts, migrations in step with
## models, French catalogue.
check: lint imports migrations-check messages-check

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Each app imports only the apps below it, and no modules import each other around a circle
## (import-linter; the contracts are in pyproject.toml, the layers in README "Where things are").
imports: install
	$(VENV)/bin/lint-imports --no-cache

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

## Extract the interface strings into locale/fr/LC_MESSAGES/django.po (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l fr $(I18N_IGNORE) --no-location --no-obsolete

## Fails when a string in the code is missing from the catalogue, or is empty, fuzzy or invalid.
messages-check: messages
	msgfmt --check-format -o /dev/null locale/fr/LC_MESSAGES/django.po
	$(PY) scripts/check_catalogue.py locale/fr/LC_MESSAGES/django.po

## A Celery worker and beat, each started again whenever it exits (deploy/supervise.sh; a
## Celery 5.7 worker can exit when Redis dies). Ctrl-C stops them. Servers: deploy/*.service.
worker: install
	deploy/supervise.sh $(VENV)/bin/celery -A cssp_portal worker --loglevel=INFO --concurrency=2

beat: install
	deploy/supervise.sh $(VENV)/bin/celery -A cssp_portal beat --loglevel=INFO --schedule=/tmp/celerybeat-schedule

## Every benchmark, none of them run by make test: the outbox's throughput (10,000 emails
## through real workers, BENCH_WORKERS, default 1, and a real Redis to an SMTP server on
## loopback; emails/s per worker and the resident memory of the workers' pool processes), the
## crowd benchmark (bench-load) and the floors under its targets (bench-floors).
bench: install $(SERVE_VENV)/.installed
	BENCH_SERVER_PYTHON=$(CURDIR)/$(SERVE_VENV)/bin/python $(PY) -m pytest tests/bench -o python_files='bench_*.py' -o norecursedirs='' -s $(PYTEST_ARGS)
	BENCH_SERVER_PYTHON=$(CURDIR)/$(SERVE_VENV)/bin/python $(PY) -m tests.bench.floors

## The crowd benchmark (issue #15): 200 signed-in people in English and French on their own
## pages, a writer saving a row a second, the trivial view on the same gunicorn; program-scale
## data in its own database (BENCH_DATABASE_URL, default
## postgres://postgres@127.0.0.1:5432/cssp_bench; Redis BENCH_REDIS_URL, default db 10).
## Writes tests/bench/results/crowd.md and crowd.png and fails when a target is missed; the
## knobs are listed in tests/bench/bench_load.py. Also part of make bench.
bench-load: install $(SERVE_VENV)/.installed
	BENCH_SERVER_PYTHON=$(CURDIR)/$(SERVE_VENV)/bin/python $(PY) -m pytest tests/bench/bench_load.py -o python_files='bench_*.py' -o norecursedirs='' -s $(PYTEST_ARGS)

## What the crowd benchmark's memory and ratio targets leave room for: the resident set of the
## fixed stack alone against the portal's, and the template engine's share of the crowd's CPU
## (tests/bench/floors.py; needs the data of make bench-load). Writes
## tests/bench/results/floors.md. Also part of make bench.
bench-floors: install $(SERVE_VENV)/.installed
	BENCH_SERVER_PYTHON=$(CURDIR)/$(SERVE_VENV)/bin/python $(PY) -m tests.bench.floors

clean:
	rm -rf $(VENV) $(SERVE_VENV) staticfiles .pytest_cache .ruff_cache
