# The two front-door commands are `make run` and `make test`; both create .venv
# and install the pinned requirements first when needed.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements
DEV_STAMP := $(VENV)/.installed-dev-requirements

# The first interpreter that is Python 3.12 or newer (evaluated only when needed).
PYTHON_CANDIDATES = python3 python3.14 python3.13 python3.12 \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3))
BASE_PYTHON = $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell \
	$(p) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(p))))

.DEFAULT_GOAL := help
.PHONY: help run seed test lint audit bench screenshots requirements clean

help:
	@echo "make run           serve the API with debug on at http://127.0.0.1:8000, and its worker"
	@echo "make seed          add sample users, questions and attempts to the local database"
	@echo "make test          run the whole test suite"
	@echo "make lint          the pre-commit checks, with the tools from PyPI"
	@echo "make audit         deploy checks, Bandit, known vulnerabilities in the pins, secrets"
	@echo "make bench         load the API and a hand-written baseline; writes docs/performance.md"
	@echo "make screenshots   run the web app's browser tests and write the README's screenshots to docs/"
	@echo "make requirements  re-compile requirements.txt and requirements-dev.txt from their .in files"

# (Re-)create .venv when it is missing or holds a Python older than 3.12.
ENSURE_VENV = if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		python="$(BASE_PYTHON)"; \
		if [ -z "$$python" ]; then \
			echo "error: Python 3.12 or newer is required, and none was found" \
				"(looked for python3, python3.14, python3.13, python3.12 and pyenv versions)." >&2; \
			exit 1; \
		fi; \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV) && $$python -m venv $(VENV); \
	fi

# What the app runs on (make run, make seed) ...
$(STAMP): requirements.txt
	@$(ENSURE_VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	@touch $@

# ... and, for tests, lint, audits and the benchmark, the same pins plus the tools.
$(DEV_STAMP): requirements-dev.txt
	@$(ENSURE_VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	@touch $@ $(STAMP)

# The background worker (imports) runs next to the web server and stops with it;
# TASKS_BACKEND=immediate runs tasks inside the requests instead, with no worker.
run: export DJANGO_DEBUG = true
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	@if [ "$${TASKS_BACKEND:-database}" = database ]; then \
		$(PY) manage.py db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(PY) manage.py runserver 127.0.0.1:8000

# Debug on, as for make run, so that no secret key or host list is needed locally.
SEED_ARGS ?= --users 3 --questions 50 --seed 1
seed: export DJANGO_DEBUG = true
seed: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py create_fake_data $(SEED_ARGS)

# In parallel, a test database per worker; whole modules go to one worker, so that a
# module's servers start once. PYTEST_WORKERS=0 runs everything in this process.
PYTEST_WORKERS ?= auto
test: $(DEV_STAMP)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# BENCH_ARGS, e.g. "--users 50 --duration 6" for a quicker run (python -m bench.run --help);
# DATABASE_URL=postgres://… benchmarks PostgreSQL. bench/original.py runs the original side by side.
# bench.web then measures the web app in Chromium (SQLite, 200 questions).
bench: $(DEV_STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.web

# The web app's browser tests, saving the screens the README shows (docs/screenshots/).
screenshots: $(DEV_STAMP)
	WEB_SCREENSHOTS=1 $(PY) -m pytest backend/web/tests -m browser -q

# The whitespace fixers get text files only: they would append a newline to the screenshots.
LINT_PY = git ls-files -z -- '*.py'
lint: $(DEV_STAMP)
	$(VENV)/bin/black --check --quiet .
	$(VENV)/bin/isort --check-only --quiet .
	$(VENV)/bin/flake8
	$(VENV)/bin/bandit --quiet -c pyproject.toml -r backend bench --severity-level high
	$(VENV)/bin/codespell
	$(LINT_PY) | xargs -0 $(VENV)/bin/pyupgrade --py312-plus
	git ls-files -z | xargs -0 $(VENV)/bin/check-merge-conflict
	git ls-files -z -- '*.yaml' '*.yml' | xargs -0 -r $(VENV)/bin/check-yaml
	git ls-files -z -- '*.toml' | xargs -0 -r $(VENV)/bin/check-toml
	git ls-files -z -- . ':!*.png' | xargs -0 $(VENV)/bin/end-of-file-fixer
	git ls-files -z -- . ':!*.png' | xargs -0 $(VENV)/bin/trailing-whitespace-fixer

# The security audits of docs/security.md. Bandit fails on high severity and lists
# the medium findings; pip-audit runs inside tools/audit_requirements.py, which
# reads PyPI's project JSON for what pip-audit cannot reach from here. It audits
# requirements-dev.txt: every pin of requirements.txt is in it, at the same version.
audit: $(DEV_STAMP)
	DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=api.example.com \
		DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/bandit --quiet -c pyproject.toml -r backend bench tools --severity-level high
	$(VENV)/bin/bandit --quiet -c pyproject.toml -r backend bench tools --severity-level medium \
		--exit-zero
	$(PY) tools/audit_requirements.py requirements-dev.txt
	git ls-files -z | xargs -0 $(VENV)/bin/detect-secrets-hook --baseline .secrets.baseline

requirements: $(DEV_STAMP)
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.12 \
		-o requirements.txt requirements.in
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.12 \
		-o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
