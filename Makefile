# exposure: download-log forensics. `make demo` and `make test` are the quick start.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-slow test-all slow-list test-wheel lint bench test-spark clean notebook fuzz

# The package's bytecode is compiled here, as pip compiles an installed wheel's: an editable install under
# PYTHONDONTWRITEBYTECODE would otherwise compile every module from source on every command (0.05-0.1 s of start-up).
install: $(STAMP)
	@$(BIN)/python -m compileall -q exposure

# Reinstall only when the project definition changes (idempotent and fast otherwise).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The sample case is built anew in reports/sample/case.duckdb: ingest, inspect the published spreadsheet (its
# findings flow into the report), then analyse and write the report. Built anew because a case made by an older
# exposure (another schema version) cannot be opened by a newer one: a rerun after `git pull` must still work.
DEMO_CASE := reports/sample/case.duckdb
demo: install
	rm -rf reports/sample
	$(BIN)/exposure ingest --case $(DEMO_CASE) sample_logs --quiet
	$(BIN)/exposure inspect sample_logs/signalen-mensenhandel-2017-2020.xlsx --case $(DEMO_CASE) \
	    --target '/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx' \
	    --json reports/sample/inspection.json --quiet
	$(BIN)/exposure analyse sample_logs --case $(DEMO_CASE) \
	    --target '/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx' \
	    --internal 203.0.113.0/24 \
	    --geoip-asn exposure/data/sample-asn.mmdb \
	    --json reports/sample/analysis.json \
	    --report reports/sample --case-info docs/sample-case.toml --pin-time 2020-08-01T12:00:00Z

# The suite in two tiers, two workers that steal work from each other. `make test` runs every test but the slow
# ones: those marked `slow` in their module and those the last measured run found at 1 s or more, or in a module
# whose shared fixture took 5 s (tests/slow.txt, written by `make slow-list`). `make test-slow` runs the slow ones (started longest first: no long test left for
# last), `make test-all` both in one run; `.ci/run` runs `make test`, `make test-wheel`, then `make test-slow` with a
# deadline (EXPOSURE_TEST_DEADLINE: what it leaves unrun is reported skipped; CI ends a run at 90 minutes).
# tests/test_layers.py runs lint-imports (the layer contract in pyproject.toml).
# Each run ends with the tests that took a second or more (a phase of it): where a new slow test shows.
PYTEST := $(BIN)/python -m pytest -q -n 2 --dist worksteal --durations=0 --durations-min=1.0
test: install
	$(PYTEST) -m "not slow"

test-slow: install
	$(PYTEST) -m slow

test-all: install
	$(PYTEST)

# Measure every test and rewrite tests/slow.txt (commit it): run on 2 idle cores, nothing else running. The
# durations of a `.ci/run` log serve as well: `.venv/bin/python -m tests.slowlist ci.log > tests/slow.txt`.
slow-list: install
	mkdir -p reports
	$(PYTEST) | tee reports/test-durations.log
	$(BIN)/python -m tests.slowlist reports/test-durations.log > tests/slow.txt

# The wheel installs into a fresh virtual environment outside the checkout and answers the sample case from
# another folder (the SQL ships inside it); not in `make test` (it installs every dependency anew). .ci/run runs it.
test-wheel: install
	EXPOSURE_WHEEL=1 $(BIN)/python -m pytest -q tests/wheel

# Fuzz the line parsers (not part of `make test`): atheris/libFuzzer when installed, else a hypothesis loop; then
# the property tests with the long hypothesis profile (tests/conftest.py: fuzz; make test uses dev, CI=true ci).
FUZZ_RUNS ?= 20000
fuzz: install
	FUZZ_RUNS=$(FUZZ_RUNS) $(BIN)/python fuzz/fuzz_parsers.py -atheris_runs=$(FUZZ_RUNS) fuzz/corpus
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -n 2 tests/robustness/test_properties.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) reports .pytest_cache

# Jupyter Lab on notebooks/ with the project's environment; jupyterlab is installed on first use (not in the
# dev extra: it is large and only needed here). The kernel `python3` is the .venv's interpreter.
notebook: install
	$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (exposure)"
	cd notebooks && ../$(BIN)/jupyter lab

# Speed and scale (issues 7, 19): synthetic logs (many small files, one large file per format), exposure beside lnav
# and GoAccess, interleaved; the first answer, a stage profile and each target measured/target/met; not in
# `make test`. BENCH_FULL=1 adds 20 M lines; BENCH_ONLY=small only the CLI start and the small files;
# BENCH_REPEAT=N runs each N times (median judged, min shown);
# BENCH_PEER_TIMEOUT=S stops a peer after S seconds (default 60).
bench: install
	$(BIN)/python tests/bench/run.py

# Beyond one machine (issue 7): queries/portable/windows_downloads.sql on PySpark in local mode over the Parquet
# export must give the case's windows and downloads (and DuckDB's over the same files); not in `make test`.
# pyspark (4.x, from PyPI) is installed on first use; Spark 4 needs Java 17 (Debian: openjdk-17-jre-headless).
test-spark: install
	$(BIN)/python -c "import sys, pyspark; sys.exit(int(pyspark.__version__.split('.')[0]) < 4)" 2>/dev/null \
	    || $(BIN)/python -m pip install --quiet 'pyspark>=4.0'
	@command -v java >/dev/null 2>&1 \
	    || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && apt-get update -qq \
	         && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null; } \
	    || { echo "make test-spark needs Java 17: apt-get install openjdk-17-jre-headless" >&2; exit 1; }
	EXPOSURE_SPARK=1 $(BIN)/python -m pytest -q tests/spark
