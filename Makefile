# Developer workflow. `make demo` and `make test` are the two set-up commands (README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PLUGINS := $(sort $(dir $(wildcard plugins/*/*/pyproject.toml)))
# Torch pins: the CPU machines here serve these from local disk.
TORCH  := torch==2.14.1 torchvision==0.29.1

.PHONY: install test parity demo bench clean

install: $(VENV)/.installed

$(VENV)/.installed: core/pyproject.toml $(wildcard plugins/*/*/pyproject.toml) requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q -e core $(addprefix -e ,$(PLUGINS))
	$(BIN)/python -m compileall -q core/src plugins > /dev/null  # start-up: docs/performance.md
	touch $@

test: install
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

parity: install
	$(BIN)/python -m pytest -q -n 2 -m slow

demo: install
	$(BIN)/neurosim estimate --network vgg8

bench: install
	$(BIN)/python benchmarks/estimate_vs_neurosim.py

clean:
	rm -rf $(VENV) .pytest_cache
