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

.PHONY: setup lab test notebooks site bench lint check-data clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[lab,test]'
	@# rfc3987-syntax is an optional extra of jsonschema that nothing here needs; it
	@# builds a grammar at import and adds over a second to every `import nbformat`.
	$(PY) -m pip uninstall --quiet --yes rfc3987-syntax 2>/dev/null || true
	@mkdir -p .cache/jupyter/config .cache/jupyter/data .cache/jupyter/runtime .cache/ipython
	@touch $(STAMP)

setup: $(STAMP)

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=notebooks notebooks/00-start-here.ipynb

test: setup
	$(VENV)/bin/ruff check src tests notebooks
	$(PY) -m pytest -n 2 --dist loadfile --nbval --nbval-current-env -q $(PYTEST_ARGS)

notebooks: setup
	$(PY) -m beyond_utopia.build notebooks $(NB)

site: setup
	$(PY) -m beyond_utopia.build site

bench: setup
	$(PY) -m beyond_utopia.bench

lint: setup
	$(VENV)/bin/ruff check src tests notebooks

check-data: setup
	$(PY) -c "from beyond_utopia import data; print(data.check_all())"

clean:
	rm -rf build .cache
