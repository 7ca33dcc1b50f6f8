# Two commands from the README: `make demo` and `make test`. Each builds its own venv.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check serve clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed: install python3.11 or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/safeguard demo

serve: $(STAMP)
	$(BIN)/safeguard serve

test: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/check

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
