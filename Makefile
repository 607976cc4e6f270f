# SmartRunning: the two commands of the README, and the checks CI runs.
#   make run    install and run the app on the embedded default (SQLite, embedded queue)
#   make test   install what the tests need and run them all
#   make check  lint, format, types, import contract, migrations in sync, then the tests

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
STATIC_VENDOR := src/smartrunning/platform/static/vendor
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

.PHONY: run test check lint fmt assets install install-dev browser clean help

help:
	@echo "make run | make test | make check | make lint | make fmt"

$(UV):
	@echo "Installing uv $(UV_VERSION) into .tools/"
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

install: | $(UV)
	$(UV) sync --frozen --no-dev --compile-bytecode --python $(PYTHON)

install-dev: | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)

assets: $(STATIC_VENDOR)/.stamp

$(STATIC_VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(STATIC_VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css \
	   node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   node_modules/chart.js/dist/chart.umd.min.js \
	   node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	   node_modules/swagger-ui-dist/swagger-ui.css \
	   $(STATIC_VENDOR)/
	touch $@

run: install assets
	SMARTRUNNING_ENV=$${SMARTRUNNING_ENV:-development} $(BIN)/smartrunning init
	SMARTRUNNING_ENV=$${SMARTRUNNING_ENV:-development} $(BIN)/smartrunning serve --with-worker --port $${PORT:-5000}

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install-dev assets browser
	$(BIN)/python -m tests.run

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m tests.migrations_check

check: lint test

fmt: install-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

clean:
	rm -rf $(VENV) .tools node_modules $(STATIC_VENDOR) .pytest_cache .mypy_cache .ruff_cache
