"""ua-parser-rs as a pre-filter (exposure/uaparse.py): the same answers as ua-parser's pure-Python resolver, for
every agent, with and without the package."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exposure import clients, uaparse

SAMPLE_LOGS = Path(__file__).resolve().parents[2] / "sample_logs"
CHARLOTTE = ("Commonly seen variations include: Mozilla/5.0 (X11; U; Linux i686 (x86_64); en-US; rv:1.8.1.11) "
             "Gecko/20080109 (Charlotte/0.9t; http://www.searchme.com/support/)")


def real_agents() -> list[str]:
    """Every example agent crawler-user-agents ships (2,000 bots, many written as browsers), the sample case's
    agents and this suite's, each also with its digits as Arabic-Indic digits (hostile text: Python's `\\d` reads
    them, ua-parser-rs's rewritten `[0-9]` does not), and agents with a control character or a final newline."""
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    from .test_clients import AGENTS

    sample = {m.group(1) for p in SAMPLE_LOGS.rglob("*.log") for m in
              re.finditer(r'"([^"]*)"\s*$', p.read_text("utf-8", "replace"), re.MULTILINE)}
    found = ({a for d in CRAWLER_USER_AGENTS_DATA for a in d.get("instances", [])}
             | {p.values[0] for p in AGENTS if p.values[0]} | sample)
    indic = {a.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) for a in found}
    return sorted(found | indic | {"curl/7.68.0\x1c", "Wget/1.20.3\n", "Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0\t"})


def test_the_pre_filter_is_installed() -> None:
    """pyproject.toml depends on ua-parser-rs: `make install` installs it, and it reads uap-core's patterns."""
    assert uaparse.fast_parser() is not None


def test_the_pre_filtered_parse_equals_the_pure_python_one() -> None:
    """Agent, OS and device (families, versions, brand, model) of every printable-ASCII agent, the ones given to
    the pre-filtered parser: as ua-parser's pure-Python resolver says. Among them one that ua-parser-rs alone
    reads otherwise (a "charlotte" past the 100 characters of `^.{0,100}(...)`, a spider to ua-parser-rs)."""
    fast, basic = uaparse.fast_parser(), uaparse.basic_parser()
    agents = [a for a in real_agents() if uaparse.readable(a)]
    assert CHARLOTTE in agents and len(agents) > 1500
    for agent in agents:
        assert uaparse.parser_for(agent) is fast
        assert fast.parse(agent) == basic.parse(agent), agent


def test_agents_are_classified_alike_with_and_without_ua_parser_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every column of every agent's class, with ua-parser-rs and without it (the pure-Python resolver alone and
    the spider candidates, as where the package is absent): the same."""
    agents = real_agents()
    fast = [clients.classify_user_agent(a) for a in agents]
    monkeypatch.setattr(uaparse, "fast_parser", lambda: None)
    monkeypatch.setattr(uaparse, "first_match", lambda patterns: None)
    for agent, got in zip(agents, fast, strict=True):
        assert got == clients.classify_user_agent(agent), agent
    assert {"browser", "crawler", "tool", "link-preview"} <= {c.client_class for c in fast}  # of many kinds
    assert any(c.matched_pattern == "ua-parser: Spider" for c in fast)


@pytest.mark.parametrize(("agent", "name"), [
    pytest.param("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/١٢٠.0.0.0 "
                 "Safari/537.36", "Chrome ١٢٠ on Windows", id="indic-digits"),
    pytest.param("curl/٧.1", "curl", id="curl-indic-digits"),
])
def test_an_agent_ua_parser_rs_reads_otherwise_is_not_asked_to_it(agent: str, name: str) -> None:
    """ua-parser-rs rewrites `\\d` as `[0-9]`: a Chrome whose version is written in Arabic-Indic digits is
    "Safari" there, Chrome to ua-parser (as before ua-parser-rs). Such an agent is parsed without the pre-filter."""
    assert uaparse.parser_for(agent) is uaparse.basic_parser()
    got = clients.classify_user_agent(agent)
    assert (got.client_name, got.ua_family) == (name, name.split()[0])


def test_crawler_patterns_pre_filtered_equal_every_pattern_tried() -> None:
    """An agent ua-parser-rs finds no crawler-user-agents pattern in is matched by none (`clients._crawler_matches`
    skips the 1,504 patterns): over the real agents, their Arabic-Indic variants and the control characters, the
    patterns it returns are every pattern Python's re finds, in the data's order."""
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    assert uaparse.first_match(clients._crawler_patterns()) is not None
    everything = [(re.compile(d["pattern"]), (d["pattern"], tuple(d.get("tags", ())))) for d in CRAWLER_USER_AGENTS_DATA]
    skipped = 0
    for ua in real_agents():
        expected = [m for rx, m in everything if rx.search(ua)]
        assert clients._crawler_matches(ua) == expected, ua
        skipped += not expected and uaparse.readable(ua)
    assert skipped > 10  # agents of no pattern (browsers), skipped by the pre-filter, occur


def test_agents_are_classified_alike_without_building_the_pre_filters() -> None:
    """`prefilter=False` (clients.agent_rows below PREFILTER_FROM agents): ua-parser-rs neither picks the first
    ua-parser pattern nor pre-filters crawler-user-agents' patterns; every column of every agent's class is the
    same as with both."""
    agents = real_agents()
    assert len(agents) >= clients.PREFILTER_FROM
    assert clients.agent_rows(agents) == [clients.agent_row(a, False) for a in agents]


_FEW_AGENTS = """
import sys
from typer.testing import CliRunner
from exposure import uaparse
from exposure.cli import app
result = CliRunner().invoke(app, ["ingest", "--quiet", "--case", sys.argv[1], sys.argv[2]])
assert result.exit_code in (0, 3), result.output
print(uaparse.fast_parser.cache_info().currsize, uaparse.first_match.cache_info().currsize)
"""


def test_an_ingest_of_a_few_agents_builds_no_pre_filter(tmp_path: Path) -> None:
    """The pre-filters cost 0.14 CPU-s to build and save a fraction of a millisecond per agent: an ingest whose
    new agents are fewer than PREFILTER_FROM (1,000 small files, 9 agents: issue 19) classifies them with
    ua-parser's pure-Python resolver, and builds neither; the rows are the same (the test above)."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _FEW_AGENTS, str(tmp_path / "c.duckdb"), str(SAMPLE_LOGS)],
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "0"]


@pytest.mark.parametrize(("agent", "expected"), [
    pytest.param("Mozilla/5.0 (Linux; Android 9; AIRIS  ;) AppleWebKit/537.36 Chrome/90.0 Mobile Safari/537.36",
                 "browser", id="airis-browser"),
    pytest.param("Mozilla/5.0 (Linux; Android 4.4; CELKON_ Build/KOT49H) AppleWebKit/537.36", "browser",
                 id="celkon"),
    pytest.param(";AIRIS_ ;", "unknown", id="airis-bare"),
    pytest.param("Mozilla/5.0 (Linux; Android 9; AIRIS  ;) Spider", "browser", id="airis-spider-word"),
])
@pytest.mark.parametrize("prefilter", [True, False], ids=["pre-filtered", "pure-python"])
def test_an_agent_whose_device_pattern_names_nothing_is_classified(agent: str, expected: str,
                                                                    prefilter: bool) -> None:
    """ua-parser raises where the first device pattern an agent matches gives no family (`AIRIS  ;`): anyone can
    send such an agent, and one of them stopped the whole ingest (exit 2). Such a device is named nothing, so
    not "Spider": the agent is classified by the rest, alike on both parsers."""
    with pytest.raises(ValueError):
        uaparse.basic_parser().parse_device(agent)
    assert clients.classify_user_agent(agent, prefilter).client_class == expected


def test_an_os_pattern_that_names_nothing_leaves_the_os_unnamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for the OS (none of uap-core's OS patterns does it today; a newer one may): the agent's family is
    still read, the OS is none, instead of a failure of the whole case."""
    from ua_parser import BasicResolver, Parser
    from ua_parser.matchers import OSMatcher

    agents, systems, devices = uaparse._matchers()
    blank = Parser(BasicResolver((agents, [OSMatcher(r"\(( *)Blank"), *systems], devices)))
    monkeypatch.setattr(uaparse, "basic_parser", lambda: blank)
    agent = "Mozilla/5.0 (  Blank) Gecko/20100101 Firefox/77.0"
    with pytest.raises(ValueError):
        blank.parse_os(agent)
    assert clients._parse(agent, prefilter=False) == ("Firefox", None)


@pytest.mark.parametrize(("pattern", "agent"), [("a[b&&c]", "a&"), ("x[a-z--]", "x-"), ("[~~]", "~")])
def test_a_pattern_rust_reads_as_a_set_operation_is_not_pre_filtered(pattern: str, agent: str) -> None:
    """Rust's regex reads `&&`, `--`, `~~` in a class as set operations where Python reads characters: the
    pre-filter would say "no pattern matches" of an agent one does match (a crawler missed). Such patterns are
    tried by Python alone."""
    assert re.search(pattern, agent)
    assert uaparse.first_match((pattern,)) is None
    assert uaparse.first_match(("curl",)) is not None
