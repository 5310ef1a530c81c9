# Beyond Utopia, explained. `make lab` and `make test` set everything up the first time.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Keep Jupyter and IPython state inside the checkout, never in $HOME, and use the
# environment's own kernel.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export JUPYTER_CONFIG_DIR := $(CURDIR)/.cache/jupyter/config
export JUPYTER_DATA_DIR := $(CURDIR)/.cache/jupyter/data
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.cache/jupyter/runtime
export IPYTHONDIR := $(CURDIR)/.cache/ipython
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Python keeps each module it compiles (.pyc, in __pycache__/) for the next process. Some
# machines set PYTHONDONTWRITEBYTECODE, and then every kernel and every test process compiles
# pandas, plotly and Jupyter from source again: `import pandas, plotly` takes 2.7 s instead of
# 0.6 s, and the suite uses twice the CPU. The empty value lets Python write them (tests/
# conftest.py does the same for pytest run on its own).
export PYTHONDONTWRITEBYTECODE :=

.PHONY: setup lab test notebooks site handouts student-pack bench lint check-data lock clean stress

# uv installs the locked set in seconds. It is bootstrapped once per machine from PyPI into
# a cache shared by every clone; where that fails, pip does the same job, only slower.
UV_VERSION := 0.13.8
UV_HOME ?= $(HOME)/.cache/beyond-utopia/uv-$(UV_VERSION)
UV := $(UV_HOME)/bin/uv

$(STAMP): pyproject.toml constraints.txt
	@if [ ! -x $(UV) ]; then \
	  $(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(UV_HOME) \
	    uv==$(UV_VERSION) >/dev/null 2>&1 || rm -rf $(UV_HOME); fi
	@if [ -x $(UV) ]; then \
	  test -x $(PY) || $(UV) venv --quiet --python $(PYTHON) $(VENV); \
	  $(UV) pip install --quiet --python $(PY) -c constraints.txt -e '.[lab,test]' || exit 1; \
	  $(UV) pip uninstall --quiet --python $(PY) rfc3987-syntax >/dev/null 2>&1 || true; \
	else \
	  echo "uv could not be installed; installing with pip instead (about a minute)"; \
	  test -x $(PY) || $(PYTHON) -m venv $(VENV); \
	  $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt \
	    -e '.[lab,test]' || exit 1; \
	  $(PY) -m pip uninstall --quiet --yes rfc3987-syntax >/dev/null 2>&1 || true; \
	fi
	@# rfc3987-syntax (removed above) is an optional extra of jsonschema that nothing here
	@# needs; it builds a grammar at import and adds over a second to every `import nbformat`.
	@test -x $(VENV)/bin/jupyter || { echo "setup failed: .venv has no jupyter"; exit 1; }
	@mkdir -p .cache/jupyter/config .cache/jupyter/data .cache/jupyter/runtime .cache/ipython
	@touch $(STAMP)

# The environment's own Jupyter settings (tools/jupyter/): no news pop-up in JupyterLab, and
# a stored notebook opens unmodified. Every JupyterLab started from .venv reads them.
JUPYTER_ENV := $(VENV)/etc/jupyter
LAB_CONFIG := $(JUPYTER_ENV)/labconfig/page_config.json $(JUPYTER_ENV)/jupyter_server_config.py

$(JUPYTER_ENV)/%: tools/jupyter/% $(STAMP)
	@mkdir -p $(dir $@) && cp $< $@

setup: $(STAMP) $(LAB_CONFIG)

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=notebooks notebooks/00-start-here.ipynb

test: setup
	$(VENV)/bin/ruff check src tools tests notebooks
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder --nbval --nbval-current-env -q \
	  $(PYTEST_ARGS)

notebooks: setup
	$(PY) -m tools.build notebooks $(NB)

site: setup
	$(PY) -m tools.site $(NB)

handouts: setup
	$(PY) -m tools.handouts $(NB)

student-pack: setup
	$(PY) -m tools.pack

bench: setup
	$(PY) -m tools.bench

lint: setup
	$(VENV)/bin/ruff check src tools tests notebooks

# A data or parameter error shows its message only; BU_DEBUG=1 (e.g. `make check-data
# BU_DEBUG=1`) shows the traceback too.
export BU_DEBUG

check-data: setup
	$(PY) -m tools.build check-data

# The tests that start kernels (papermill and strict nbval), 3 rounds with 8 workers beside
# 3 CPU-bound processes: no kernel may fail to start (STRESS_ARGS="--rounds 1" for one).
stress: setup
	$(PY) -m tools.build stress $(STRESS_ARGS)

# Regenerate constraints.txt from pyproject.toml (needs the network); never edit it by hand.
lock: setup
	$(UV) pip compile pyproject.toml --extra lab --extra test --python-version 3.11 \
	  --quiet --no-header --no-annotate -o constraints.txt
	$(PY) -m tools.lock stamp

clean:
	rm -rf build .cache
