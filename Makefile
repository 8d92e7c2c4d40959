# The two commands a new user needs: `make demo` and `make test`.
# Each installs what it needs into .venv on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install demo test check lint typecheck layers messages pytest browser services-up services-down clean lock

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,local]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/sozialatlas demo

# Lint, type-check, then the whole suite against the real services (started as needed).
test: check pytest

check: lint typecheck layers messages

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# The layers point down (pyproject.toml [tool.importlinter]); a wrong import fails CI.
layers: install
	$(BIN)/lint-imports

# The interface's gettext catalogues (api/locale): compiled as the server compiles them on
# start-up, then every shipped language complete (no missing, stale or fuzzy string).
messages: install
	$(BIN)/sozialatlas messages compile
	$(BIN)/sozialatlas messages check

pytest: install browser
	$(BIN)/pytest

# The production image's exact dependencies (Dockerfile), resolved from pyproject.toml.
lock: install
	$(BIN)/pip install --dry-run --ignore-installed --quiet --report .cache/lock.json .
	$(BIN)/python -m sozialatlas.lockfile .cache/lock.json requirements.lock

# Debian's chromium for the browser tests (tests/e2e): Playwright drives it through
# executable_path and never downloads a browser of its own.
browser:
	command -v chromium >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

services-up: install
	$(BIN)/sozialatlas services up

services-down: install
	$(BIN)/sozialatlas services down

clean:
	rm -rf $(VENV) .cache .mypy_cache .ruff_cache .pytest_cache
