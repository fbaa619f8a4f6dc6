"""Red team 5: an --alias the command line refuses was named "--target" in the error ("--target contains control
characters" for `--alias $'/docs/x\\e[31m.xlsx'`, "empty --target" for `--alias ''`): the one line names the
option the value came from, on every path that parses an alias (options, one target, several targets)."""

from __future__ import annotations

import pytest

from exposure import AnalysisOptions
from exposure.analysis.targets import parse_target
from exposure.errors import InputError


@pytest.mark.parametrize(("alias", "said"), [
    pytest.param("/docs/x\x1b[31m.xlsx", "--alias contains control characters: '/docs/x\x1b[31m.xlsx'", id="escape"),
    pytest.param("", "empty --alias", id="empty"),
    pytest.param("ftp://host/x.xlsx", "--alias must be a path or an http(s) URL: 'ftp://host/x.xlsx': give a path "
                 "(/docs/file.xlsx) or an http(s) URL (https://www.example.nl/docs/file.xlsx)", id="scheme")])
def test_a_refused_alias_is_named_as_an_alias(alias: str, said: str) -> None:
    with pytest.raises(InputError) as options:
        AnalysisOptions(aliases=(alias,)).validated()
    assert str(options.value) == said
    with pytest.raises(InputError) as one:
        parse_target("/docs/lijst.xlsx").with_aliases([alias])
    assert str(one.value) == said
    with pytest.raises(InputError) as target:  # a target keeps its own name
        parse_target(alias)
    assert str(target.value) == said.replace("--alias", "--target")
