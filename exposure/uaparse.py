"""ua-parser's answers, with ua-parser-rs as an exact pre-filter: which of uap-core's patterns to try first.

ua-parser's pure-Python resolver tries each domain's patterns (433 agent, 204 OS, 633 device) one by one until one
matches: an agent no pattern names (a bot's own name, `agent-1`) costs all of them, 2 ms of regex searches per
distinct agent. ua-parser-rs matches the same patterns in Rust behind an Aho-Corasick pre-filter, but not with the
same regexes: it rewrites `\\d`, `\\D`, `\\w`, `\\W` to ASCII classes and a bounded repetition `{0,N}` / `{1,N}` of
N >= 100 to `*` / `+` (ua-parser/uap-rust, ua-parser/src/lib.rs `rewrite_regex`). Its answers differ from
ua-parser's: `Chrome/١٢٠` is Safari to it ("\\d" no longer reads Arabic-Indic digits); a "charlotte" past the
first 100 characters makes it call the device a spider where `^.{0,100}(...charlotte...)` does not match.

What is used here is only where its first match is. On printable ASCII (0x20-0x7E, as Apache and nginx write any
other byte: `\\xNN`) the class rewrites change nothing and an unbounded repetition matches wherever the bounded one
did: every rewritten pattern matches at least where ua-parser's does (uap-core's patterns have no lookaround or
back-reference, which Rust's regex would refuse). So no pattern before the first one ua-parser-rs matches can match in
Python; ua-parser's own matchers are tried from that one on, in order, and their first answer is the answer, with
ua-parser's captures, replacements and errors. Usually the first one tried matches.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import islice
from typing import Any


class PrefilteredResolver:
    """A ua-parser resolver (`Parser(PrefilteredResolver(matchers))`) with the pure-Python resolver's answers on
    printable-ASCII agents; callers give it no other (`readable`)."""

    def __init__(self, matchers: Any) -> None:
        import ua_parser_rs

        self.agents, self.systems, self.devices = matchers
        # each pattern's position as its family: what ua-parser-rs answers is the first pattern it matches
        self._agent_index = ua_parser_rs.UserAgentExtractor(
            [(m.regex, str(i), None, None, None, None) for i, m in enumerate(self.agents)])
        self._system_index = ua_parser_rs.OSExtractor(
            [(m.regex, str(i), None, None, None, None) for i, m in enumerate(self.systems)])
        self._device_index = ua_parser_rs.DeviceExtractor(
            [(m.regex, m.regex_flag, str(i), None, None) for i, m in enumerate(self.devices)])

    def __call__(self, ua: str, domains: Any, /) -> Any:
        from ua_parser import Domain, PartialResult

        return PartialResult(
            domains=domains, string=ua,
            user_agent=_first(self._agent_index, self.agents, ua) if Domain.USER_AGENT in domains else None,
            os=_first(self._system_index, self.systems, ua) if Domain.OS in domains else None,
            device=_first(self._device_index, self.devices, ua) if Domain.DEVICE in domains else None)


def _first(index: Any, matchers: list[Any], ua: str) -> Any:
    """The first of `matchers` that answers for `ua` (as ua-parser's resolver), tried from the first one whose
    rewritten pattern ua-parser-rs matches."""
    hit = index.extract(ua)
    if hit is None:
        return None
    return next(filter(None, (m(ua) for m in islice(matchers, int(hit.family), None))), None)


@cache
def first_match(patterns: tuple[str, ...]) -> Callable[[str], int | None] | None:
    """For a printable-ASCII agent (`readable`): the position of the first of `patterns` (Python regexes searched
    case-sensitively, none with a lookaround or back-reference) that ua-parser-rs matches, None when it matches none;
    no pattern before it matches in Python (module doc). None when ua-parser-rs is absent, refuses a pattern or
    would read one otherwise (`alike_in_rust`)."""
    try:
        import ua_parser_rs
    except ImportError:
        return None
    if not all(map(alike_in_rust, patterns)):
        return None
    try:
        index = ua_parser_rs.UserAgentExtractor([(p, str(i), None, None, None, None) for i, p in enumerate(patterns)])
    except (ValueError, TypeError):
        return None

    def first(ua: str) -> int | None:
        hit = index.extract(ua)
        return None if hit is None else int(hit.family)
    return first


# Rust's regex reads these inside a character class as set operations (intersection, difference, symmetric
# difference) where Python's re reads the characters: `a[b&&c]` matches "a&" in Python, nothing in Rust. It takes
# such a pattern without a word, so a pattern holding one is not given to it (none of today's do).
RUST_CLASS_OPERATORS = ("&&", "--", "~~")


def alike_in_rust(pattern: str) -> bool:
    """Whether ua-parser-rs may be given `pattern`: none of the class set operators Rust reads otherwise."""
    return not any(op in pattern for op in RUST_CLASS_OPERATORS)


def readable(ua: str) -> bool:
    """Whether the pre-filter may be asked about `ua`: printable ASCII only (module doc)."""
    return ua.isascii() and ua.isprintable()


@cache
def _matchers() -> Any:
    """uap-core's patterns as ua-parser's lazy matchers (compiled when first tried), shared by both parsers."""
    from ua_parser import load_lazy_builtins

    return load_lazy_builtins()


@cache
def basic_parser() -> Any:
    """ua-parser on its pure-Python resolver, the regexes compiled as first tried (the default parser compiles all
    of them first: 0.37 s before the first answer, where a few agents need a fraction of them)."""
    from ua_parser import BasicResolver, Parser

    return Parser(BasicResolver(_matchers()))


@cache
def fast_parser() -> Any | None:
    """ua-parser on `PrefilteredResolver` (the same lazy matchers as `basic_parser`), or None when ua-parser-rs is
    not installed, cannot read a pattern or would read one otherwise (`alike_in_rust`)."""
    try:
        import ua_parser_rs  # noqa: F401
        from ua_parser import Parser
    except ImportError:
        return None
    matchers = _matchers()
    if not all(alike_in_rust(m.regex) for domain in matchers for m in domain):
        return None
    try:
        return Parser(PrefilteredResolver(matchers))
    except (ValueError, TypeError):  # a pattern Rust's regex refuses (a newer uap-core): the pure-Python one alone
        return None


def parser_for(ua: str, prefilter: bool = True) -> Any:
    """The parser that reads `ua`: the pre-filtered one when `prefilter` is asked for, ua-parser-rs is installed
    and the agent printable ASCII, else the pure-Python one; the same answers (tests/analysis/test_clients_fast.py).
    Without `prefilter` the pre-filter is not built (0.1 CPU-s, worth it only for many agents: clients.agent_rows)."""
    fast = fast_parser() if prefilter else None
    if fast is not None and readable(ua):
        return fast
    return basic_parser()
