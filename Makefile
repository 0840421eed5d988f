# accord: every target creates its own virtual environment from scratch with Python 3.11+ and pip.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint fuzz bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/python -m accord.cli.demo

test: $(STAMP)
	bash scripts/install-browser.sh
	$(BIN)/accord check
	$(BIN)/accord fmt --check rules/
	$(BIN)/accord coverage --missing
	$(BIN)/accord test --coverage --min 95
	$(BIN)/accord check examples/nato
	$(BIN)/accord fmt --check examples/nato
	$(BIN)/accord coverage --rules examples/nato --missing
	$(BIN)/accord test --coverage --min 100 examples/nato
	$(BIN)/accord check examples/consultation
	$(BIN)/accord fmt --check examples/consultation
	$(BIN)/accord test --coverage --min 100 examples/consultation
	$(BIN)/accord test --rules examples/accord.toml
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

# A long fuzz run (minutes): ACCORD_FUZZ_EXAMPLES examples spread over the fuzz tests, new ones each run.
fuzz: $(STAMP)
	ACCORD_FUZZ_EXAMPLES=$${ACCORD_FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest tests/test_fuzz.py -s \
		--hypothesis-show-statistics

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet 'z3-solver>=4.12'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis
