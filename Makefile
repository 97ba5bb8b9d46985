# One entry point for setting up, running and testing the hub.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test suite install install-dev setup lint e2e bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Each stamp is rebuilt only when its requirements file changes, so a second run is quick.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# In development the public address is the one `make run` serves on: migrate gives it to the Site,
# so canonical links, the sitemap, feeds and calendars point there (hub/site_address.py).
setup run: export HUB_PUBLIC_URL ?= http://$(HOST):$(PORT)

setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) compile_catalogues
	$(MANAGE) load_demo_content --if-empty
	$(MANAGE) create_dev_superuser

# The periodic jobs (scheduled publishing, purges: hub/periodic.py) run beside the server and stop with it.
run: setup
	$(MANAGE) run_periodic_jobs & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# The production stack on this machine, as you: nginx on HOST:PORT in front of gunicorn, the task
# worker and the scheduler (deploy/Procfile), production settings, after the release build
# (deploy/build). SQLite and the embedded cache unless DATABASE_URL / REDIS_URL are set. Ctrl-C stops it.
serve: install
	$(BIN)/python deploy/serve.py --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The fast tier: everything but the tests marked slow, on two processes (pytest-xdist). Tests that
# commit real transactions empty the database when they end, so they run in a process of their own.
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MANAGE) compile_catalogues
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory suite

# The fast tier's tests alone (CI runs them again on PostgreSQL: DATABASE_URL=... make suite).
# pytest exits 5 when a selection is empty; that is not a failure here.
suite: install-dev
	$(BIN)/pytest -m "not slow and not transactional" -n 2 $(PYTEST_ARGS)
	$(BIN)/pytest -m "transactional and not slow" -n 0 $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The slow tier: real-browser tests, the crawl and audits of the demo site, large-data query counts.
# Browser tests run apart: while Playwright's event loop is open, Django refuses database calls
# in the same thread, so the other slow tests must not share a process with them.
e2e: install-dev
	$(BIN)/pytest -m "slow and e2e" -n 2
	$(BIN)/pytest -m "slow and not e2e and not deploy and not transactional" -n 2
	$(BIN)/pytest -m "slow and not e2e and not deploy and transactional" -n 0 || [ $$? -eq 5 ]

# The production smoke test: the deploy/ stack on loopback (nginx, Varnish, two gunicorn instances,
# a worker, moto's S3 server, this machine's PostgreSQL and Redis), see tests/deploy/.
smoke: install-dev
	deploy/smoke-test

# Each page type at demo size and at a large generated size beside a bare WSGI app, on the benchmark's
# own databases in .bench/ (built on first use). BENCH_ARGS=--json for machines; see bench/run.py.
bench: install
	$(MANAGE) compile_catalogues
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media static .pytest-db
