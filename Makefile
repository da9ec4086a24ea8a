# MDSS — the commands a person types. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := mdss.settings

.PHONY: setup run test bench worker lint format messages check-tools clean

# Stamps make a second `make setup` quick: each step reruns only when its inputs change.
$(VENV)/.installed: pyproject.toml requirements.lock
	@$(MAKE) --no-print-directory check-tools
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 18+ and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/vendor/.copied: node_modules/.installed scripts/vendor_assets.sh
	bash scripts/vendor_assets.sh
	@touch $@

check-tools:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is missing: install python3 and python3-venv"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { echo "Python 3.11 or newer is needed ($(PYTHON) is older)"; exit 1; }
	@$(PYTHON) -c 'import venv' 2>/dev/null || { echo "The venv module is missing: apt-get install python3-venv"; exit 1; }
	@command -v msgfmt >/dev/null || { echo "GNU gettext is missing (needed to compile translations): apt-get install gettext"; exit 1; }
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 18+ and npm (Debian: apt-get install nodejs npm)"; exit 1; }

setup: $(VENV)/.installed static/vendor/.copied
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo --skip-in-production

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

# The Huey consumer: runs reminders, escalations and notification deliveries.
worker: setup
	MDSS_HUEY_IMMEDIATE=0 $(PY) manage.py run_huey

test: $(VENV)/.installed static/vendor/.copied
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) -m pytest -n $${PYTEST_WORKERS:-2} --dist worksteal $(PYTEST_ARGS)

bench: $(VENV)/.installed static/vendor/.copied
	$(PY) bench/run.py $(BENCH_ARGS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the zh-Hans catalogue after changing user-facing strings.
messages:
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) node_modules static/vendor var
