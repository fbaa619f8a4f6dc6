"""Beyond one machine (issue 7): the portable windows and downloads SQL on PySpark in local mode over the
Parquet export gives the same answer as DuckDB over the export and as the case itself.

Not part of `make test`: runs only with EXPOSURE_SPARK=1 (`make test-spark` sets it, installs pyspark and
checks for Java 17), and skips without pyspark or `java`.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from exposure import AnalysisOptions, Case
from exposure.export import export_parquet
from exposure.portable import DuckDBEngine, run_portable
from tests.leak_cases import CASES
from tests.leak_cases import OPTIONS as LEAK_OPTIONS
from tests.leak_cases import TARGET as LEAK_TARGET
from tests.parity import (
    OPTION_IDS,
    OPTION_SETS,
    TARGET,
    answer_said,
    assert_same,
    case_rows,
    evidence_files,
    portable_rows,
    portable_said,
)
from tests.test_portable_said import OPTIONS as SAID_OPTIONS
from tests.test_portable_said import T as SAID_TARGET
from tests.test_portable_said import write_logs as said_logs

if os.environ.get("EXPOSURE_SPARK") != "1":
    pytest.skip("Spark parity runs with EXPOSURE_SPARK=1 (make test-spark)", allow_module_level=True)
if shutil.which("java") is None:
    pytest.skip("no java on PATH (Debian: apt-get install openjdk-17-jre-headless)", allow_module_level=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)  # pyspark 4.x warns about pandas 3; only Arrow is used here
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


class SparkEngine:
    """exposure.portable.Engine on a SparkSession: temp views over the Parquet export and Arrow tables."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark

    def register_parquet(self, name: str, directory: Path) -> None:
        self.spark.read.parquet(str(directory)).createOrReplaceTempView(name)

    def register(self, name: str, table: pa.Table) -> None:
        self.spark.createDataFrame(table).createOrReplaceTempView(name)

    def execute(self, sql: str) -> None:
        self.spark.sql(sql)

    def fetch(self, sql: str) -> pa.Table:
        return self.spark.sql(sql).toArrow()

    def cache(self, name: str) -> None:
        # materialise the rows and cut the plan: a view over views is otherwise re-planned and re-run at every
        # reference, and planning the nested windows takes longer than running them on the sample
        self.spark.table(name).localCheckpoint(eager=True).createOrReplaceTempView(name)


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    work = tmp_path_factory.mktemp("spark")
    session = (SparkSession.builder.master("local[2]").appName("exposure-parity")
               .config("spark.driver.memory", "1g")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               # local mode runs everything in the driver JVM; C1 alone compiles less for a run this short
               .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC -XX:TieredStopAtLevel=1")
               .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
               .config("spark.sql.session.timeZone", "UTC")
               # the portable SQL quotes identifiers the ANSI way ("url.path", "@timestamp")
               .config("spark.sql.ansi.enabled", "true")
               .config("spark.sql.ansi.doubleQuotedIdentifiers", "true")
               # a few hundred target rows: one shuffle partition and no adaptive re-planning is fastest
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.sql.adaptive.enabled", "false")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.local.dir", str(work / "local"))
               .config("spark.sql.warehouse.dir", str(work / "warehouse"))
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def test_spark_runs_in_utc(spark: SparkSession) -> None:
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"
    jvm_zone = spark.sparkContext._jvm.java.util.TimeZone.getDefault().getID()
    assert jvm_zone in ("UTC", "Etc/UTC")


@pytest.mark.parametrize("options", OPTION_SETS, ids=OPTION_IDS)
def test_case_duckdb_and_spark_give_the_same_windows_and_downloads(
        spark: SparkSession, sample_case_path: Path, sample_export: Path, options: AnalysisOptions,
        sample_truth: dict) -> None:
    with Case(sample_case_path, read_only=True) as case:
        expected = case_rows(case, options)
        files = evidence_files(case)
    duckdb_answer = run_portable(DuckDBEngine(), sample_export, TARGET, options)
    spark_answer = run_portable(SparkEngine(spark), sample_export, TARGET, options)
    on_duckdb, on_spark = portable_rows(duckdb_answer), portable_rows(spark_answer)
    assert_same(expected, on_duckdb, "duckdb")
    assert_same(expected, on_spark, "spark")
    # what the answer says of each window beside its figures (tests/test_rule_parity.py: DuckDB = the answer)
    assert portable_said(spark_answer, files) == portable_said(duckdb_answer, files)
    assert [w["first_available"].isoformat() + "Z" for w in on_spark["windows"]] == \
        [w["first_available"] for w in sample_truth["windows"]]
    complete = [d for d in on_spark["downloads"] if d["outcome"] == "complete" and not d["internal"]]
    if options.internal:
        assert len(complete) == len(sample_truth["complete_downloads"])
        assert sum(d["outcome"] == "complete" and d["internal"] for d in on_spark["downloads"]) == \
            sample_truth["internal_complete_downloads"]


@pytest.mark.parametrize("name", list(CASES))
def test_every_leak_fixture_gives_the_same_answer_on_spark(spark: SparkSession, tmp_path: Path, name: str) -> None:
    """Every format's leak (tests/leak_cases.py: IIS and CloudFront byte counts with headers, S3 and CloudFront
    exact lengths, JSON lines, a proxy, Debian's %O and its %b twin): case = DuckDB = Spark over the export."""
    leak = CASES[name]
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([leak.write(tmp_path)], leak.ingest)
        export_parquet(case.file, tmp_path / "parquet")
        expected = case_rows(case, LEAK_OPTIONS, LEAK_TARGET)
    on_spark = portable_rows(run_portable(SparkEngine(spark), tmp_path / "parquet", LEAK_TARGET, LEAK_OPTIONS))
    assert_same(expected, on_spark, "spark")
    complete = [d for d in on_spark["downloads"] if d["outcome"] == "complete" and not d["internal"]]
    assert (len(complete), len({d["client"] for d in complete})) == leak.expected[:2]


def test_the_windows_ends_and_sent_counts_are_said_on_spark(spark: SparkSession, tmp_path: Path) -> None:
    """tests/test_portable_said.py's logs (redirects after window 1, refusals after window 2, every complete
    download on a %b count, window 2's unseen_from the 404 before it): the answer = Spark over the export."""
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([said_logs(tmp_path)])
        export_parquet(case.file, tmp_path / "parquet")
        said = answer_said(case.analyse([SAID_TARGET], SAID_OPTIONS), SAID_TARGET)
        files = evidence_files(case)
    on_spark = portable_said(run_portable(SparkEngine(spark), tmp_path / "parquet", SAID_TARGET, SAID_OPTIONS), files)
    assert on_spark == said
    assert [w["complete_on_sent_counts"] for w in said] == [3, 1]
