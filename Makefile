# Two commands: `make run` (the full ketentest on the embedded chain, ending in a report)
# and `make test` (the whole test suite). Each creates .venv and installs the project.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test report up clean chromium bytecode

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP) bytecode chromium
	$(BIN)/ketentest run --suite all --report reports
	$(BIN)/ketentest report --report reports

test: $(STAMP) bytecode chromium  # the house rules first, then two processes (pytest-xdist)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -p no:allure_pytest -n 2 --dist loadgroup

up: $(STAMP) bytecode
	$(BIN)/ketentest up

bytecode:  # our modules compiled ahead, as installing a package does: ketentest up starts ~50 ms sooner
	@$(BIN)/python -m compileall -q simulators ketentest steps >/dev/null

chromium:  # Debian's Chromium for the portal scenarios: installed when missing and allowed
	@.ci/chromium

clean:
	rm -rf $(VENV) reports .state .tools
