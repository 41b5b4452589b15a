# A fresh clone needs only `make serve` and `make test`: both install into .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
OUT ?= _site
# Set BASE_URL=/reading-list/ when the site is served under a sub-path (GitHub project pages).
BASE_URL ?=
PORT ?= 8000
BUILD_ARGS := --out $(OUT) $(if $(BASE_URL),--base-url $(BASE_URL))
REMOTE ?= origin
DEPLOY_BRANCH ?= gh-pages
DEPLOY_REPO ?= $(CURDIR)
DEPLOY_MESSAGE ?= Deploy site from $(shell git rev-parse --short HEAD 2>/dev/null || echo working tree)
GHP_IMPORT := $(abspath $(VENV))/bin/ghp-import
DEPLOY_CMD = cd '$(DEPLOY_REPO)' && '$(GHP_IMPORT)' --no-jekyll --push --force \
	--remote '$(REMOTE)' --branch '$(DEPLOY_BRANCH)' --message '$(DEPLOY_MESSAGE)' '$(abspath $(OUT))'

.PHONY: fuzz install build serve test deploy publish clean lint bench screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

build: install
	$(PY) -m site_builder build $(BUILD_ARGS)

serve: install
	$(PY) -m site_builder serve $(BUILD_ARGS) --port $(PORT)

test: install
	$(PY) -m pytest

# bench: times builds, serve and search against Hugo, Pelican and Pagefind (bench/README.md).
bench: install
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check site_builder tests
	$(VENV)/bin/mypy site_builder

# deploy: build, then put $(OUT) on the gh-pages branch and force-push it to $(REMOTE).
# publish: the same without building. ghp-import commits into the git repository it runs in,
# which is this checkout unless DEPLOY_REPO names another one (tests use a throwaway repo).
# REMOTE may be a remote name or a path/URL; a relative path is taken from DEPLOY_REPO.
deploy: build
	$(DEPLOY_CMD)

publish:
	$(DEPLOY_CMD)

screenshots: build
	$(PY) scripts/screenshots.py

# fuzz: a bounded atheris run on the seed reader and the front-matter reader.
FUZZ_SECONDS ?= 60
fuzz: install
	$(PY) -m pip install --quiet 'atheris>=2.3,<3'
	$(PY) fuzz/fuzz_inputs.py seeds -max_total_time=$(FUZZ_SECONDS) -timeout=10
	$(PY) fuzz/fuzz_inputs.py pages -max_total_time=$(FUZZ_SECONDS) -timeout=10

clean:
	rm -rf $(OUT) $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
