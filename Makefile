# The README's two commands: `make run` and `make test`. Both are safe to run again.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install chromium pdf-libs lint ci loadtest two-servers bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Set up a SQLite database under var/, load every seed plan, create the demo accounts and
# sample quarterly data, serve. DEMO ONLY: the demo accounts skip two-factor sign-in.
run: install pdf-libs
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_seed_plans
	DEBUG=true $(BIN)/python manage.py load_demo_data
	DEBUG=true $(BIN)/python manage.py load_demo_crime_data
	DEBUG=true DEMO_ACCOUNTS_SKIP_TWO_FACTOR=true $(BIN)/python manage.py ensure_demo_admin
	DEBUG=true DEMO_ACCOUNTS_SKIP_TWO_FACTOR=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite, browser tests included (Chromium from Debian is installed when missing).
test: install chromium pdf-libs
	SECRET_KEY=test-only-not-secret $(BIN)/pytest

chromium:
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || \
	  { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	    apt-get install -y -qq chromium >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; }; } || \
	  echo "Chromium is not installed: browser tests will be skipped (and fail under CI=true)."

# WeasyPrint (the report pack as PDF) needs Pango and a font from the system. Without them the
# app still runs: published reports say "PDF not available on this server".
pdf-libs:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || \
	  { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	    { apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null 2>&1 || \
	      { apt-get update -qq >/dev/null && \
	        apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }; }; } || \
	  echo "Pango is not installed: no server-side PDFs (PDF tests skipped, and fail under CI=true)."

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ci:
	bash .ci/run

# Load and soak check: two gunicorn servers on loopback against one PostgreSQL database
# (LOADTEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/csp_loadtest), officers
# saving and SEG members reading for DURATION seconds. Fails on any error or lost/doubled save.
DURATION ?= 30
OFFICERS ?= 6
SEG ?= 3
loadtest: install
	$(BIN)/python scripts/loadtest.py --duration $(DURATION) --officers $(OFFICERS) --seg $(SEG)

# The compose file's shape without Docker: two app servers on :8101 and :8102, one database.
two-servers: install
	$(BIN)/python scripts/two_servers.py

# The benchmark harness: every page at a data size (seed, small = 30 partnerships, national =
# 300), against a trivial view in the same run, on PostgreSQL under gunicorn; results go to
# docs/performance.md. The data is kept in csp_bench_<size> between runs.
SIZE ?= seed
BENCH_DURATION ?= 15
bench: install
	$(BIN)/python scripts/bench.py --size $(SIZE) --duration $(BENCH_DURATION)

