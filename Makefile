# exposure: download-log forensics. `make demo` and `make test` are the quick start.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean notebook

install: $(STAMP)

# Reinstall only when the project definition changes (idempotent and fast otherwise).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/exposure analyse sample_logs \
	    --target '/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx' \
	    --internal 203.0.113.0/24 \
	    --json reports/sample/analysis.json

test: install
	$(BIN)/python -m pytest -q -n 2

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) reports .pytest_cache
