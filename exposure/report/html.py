"""Render the report model to HTML with the one Jinja2 template (also used for the PDF).

Autoescaping is on for everything: log content (user agents, paths, referrers, raw lines) is text, never
markup. Only the charts, which we generate ourselves, are inserted as markup.

Every value that did not come from our own catalogue (log content, paths, addresses, names from GeoIP or the
file system) goes through the `v` filter: `exposure.escaping.display` cuts it to a stated length (the marker
says the full length) and shows control and bidirectional characters as escapes; then it is escaped as HTML,
long tokens get break opportunities after `/ . : ? &` (a `<wbr>` each), and it is isolated in `<bdi>` so
right-to-left text cannot reorder the page around it. The HTML and PDF therefore stay bounded whatever the
clients sent: a 1 MB user agent is shown as its first characters and its length.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..escaping import TERMINAL_LIMIT, display_parts
from ..plural import counts, grouped

FIELD_LIMIT = 200  # characters of a log-derived value shown (paths, user agents, referrers, names)
RAW_LIMIT = 1000  # characters of a raw log line shown in the appendix
SENTENCE_LIMIT = 1000  # characters of a sentence of the tool that quotes log values
# Page 1's paths, bounded by what is shown (escapes included), so that six files' rows of long paths (a site that
# answers 200 to any path: the sender names them) never push the evidence status off page 1: a file's row in the
# table of files, and the one file's path above its answer. Section 1 shows each up to FIELD_LIMIT.
PAGE_ONE_ROW_PATH = 60
PAGE_ONE_PATH = 200
# case information page 1's title and identity line show of each value (section 8's case facts say it
# whole): 200 wide characters of a title, case id and version took 14 lines and pushed the status to page 2
PAGE_ONE_CASE = 80
# characters of the command page 1's case box shows (its length said where cut; section 8's case facts say it
# whole): with its label and the pointer there, one line of the box's smaller type (report/casebox.py)
PAGE_ONE_COMMAND = 60
# the files named on one line of page 1's evidence-status list (stated findings) share this many characters: one
# name is shown up to PAGE_ONE_PATH (a name may carry its detail: 'access.log (line 1: ... inside window 1 of
# /docs/leak.pdf)'), three up to 120 each, never fewer than PAGE_ONE_ROW_PATH each: three 265-character names
# keep the list on page 1 (tests/report/test_page_one_gaps_bound.py), one 90-character path keeps its file name
PAGE_ONE_NAMES = 360


def stated_name_width(names: int) -> int:
    """Characters each of `names` files named on one line of page 1's evidence-status list is shown to."""
    return min(PAGE_ONE_PATH, max(PAGE_ONE_ROW_PATH, PAGE_ONE_NAMES // max(names, 1)))
# characters of a caveat on page 1: every caveat is said there (report/pageone.py), whole: a cut one said half
# of what it meant ('every local time is shown at UTC+01:00, ...; the UTC… [352 characters]'). The longest the
# tool writes (a window that may have been withdrawn, the offsets of servers in several zones) stay under it once
# a long value it quotes (a path, an --alias: any stretch without a space longer than PAGE_ONE_PATH) is cut to
# PAGE_ONE_PATH by report/caveats.py, its wording kept whole (section 1 says the path whole, up to SENTENCE_LIMIT).
# A bound of one caveat in characters; whether it fits on page 1 beside what lies above the status list is
# report/pagebudget.py's estimate in printed lines (a caveat page 1 need not carry is counted when it does not fit)
PAGE_ONE_CAVEAT = 600
_LONG = re.compile(r"\S{21,}")  # a token this long may need to wrap; shorter ones (IPv4, times) never break
_AFTER = re.compile(r"[/.:?&]")
_MARK = "\x00"  # never in displayed text: `display` writes every control character as a visible escape
_SEGMENT = 8  # a break point only after this many characters since the last one: each <wbr> costs layout time
_STRETCH = 30  # the last resort: a stretch this long with no break point gets one


def _marks(token: str) -> str:
    out, last = [], 0
    for i, ch in enumerate(token, start=1):
        out.append(ch)
        if ch == "-":  # a hyphen is a break point of its own in browsers and WeasyPrint
            last = i
        elif (_AFTER.match(ch) and i - last >= _SEGMENT or i - last >= _STRETCH) and i < len(token):
            out.append(_MARK)
            last = i
    return "".join(out)


def breakable(text: str) -> Markup:
    """`text` escaped for HTML, with a `<wbr>` after / . : ? & inside tokens longer than 20 characters (at
    least 8 characters apart), and, as the last resort, after 30 characters of a stretch that has no break
    point. The break points are in the markup, so the browser and WeasyPrint wrap alike (CSS
    `overflow-wrap: anywhere` makes WeasyPrint break anywhere, mid-number included)."""
    marked = _LONG.sub(lambda m: _marks(m[0]), text)
    return Markup(str(escape(marked)).replace(_MARK, "<wbr>"))


@jinja2.pass_context
def _value(ctx: jinja2.runtime.Context, value: Any, limit: int = FIELD_LIMIT,
           shown_limit: int | None = None) -> Markup | str:
    if value is None or value == "":
        return "–"
    shown, cut = display_parts(str(value), limit, unit=ctx["s"]["characters"], shown=shown_limit)
    # the count of a cut is the report's words, outside the value's writing direction
    return Markup("<bdi>") + breakable(shown) + Markup("</bdi>") + cut


@jinja2.pass_context
def _said(ctx: jinja2.runtime.Context, value: Any, limit: int = SENTENCE_LIMIT,
          shown_limit: int | None = None) -> Markup | str:
    """A sentence the tool wrote that quotes values from the logs (a warning, a spread signal, a GeoIP note):
    bounded and made visible like a value (`shown_limit` bounds it escapes included, as `v`'s), but not
    isolated, since it is in the report's language."""
    if value is None or value == "":
        return "–"
    return breakable("".join(display_parts(str(value), limit, unit=ctx["s"]["characters"], shown=shown_limit)))


def _fill(text: str, **values: Any) -> Markup:
    """A catalogue text with values put in: the text is escaped, and so is every value not already markup
    (values shown with the `v` filter arrive as markup and keep their escapes and break points)."""
    return Markup(escape(text)).format(**counts(values))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("exposure.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = number
    env.filters["dash"] = lambda v: "–" if v is None or v == "" else v
    env.filters["v"] = _value
    env.filters["said"] = _said
    # a time: shown like any other value or a dash; kept on one line by report.css (columns wide enough for
    # it, held to that by the layout checks in tests/report/test_layout.py)
    env.filters["t"] = env.filters["dash"]
    env.globals["fill"] = _fill
    env.globals["RAW_LIMIT"] = RAW_LIMIT
    env.globals["TERMINAL_LIMIT"] = TERMINAL_LIMIT  # the seal's differences in section 9, as whole as verify prints them
    env.globals["PAGE_ONE_CAVEAT"] = PAGE_ONE_CAVEAT
    env.globals["FIELD_LIMIT"] = FIELD_LIMIT
    env.globals["PAGE_ONE_ROW_PATH"] = PAGE_ONE_ROW_PATH
    env.globals["PAGE_ONE_PATH"] = PAGE_ONE_PATH
    env.globals["PAGE_ONE_CASE"] = PAGE_ONE_CASE
    env.globals["PAGE_ONE_COMMAND"] = PAGE_ONE_COMMAND
    env.globals["stated_name_width"] = stated_name_width
    return env


def number(value: Any) -> str:
    """A count as the report writes it everywhere (tables, the register listing): groups of three digits
    split by a thin space, which neither an English nor a Dutch reader takes for a decimal mark."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return grouped(value)
    return str(value)


def stylesheet() -> str:
    return resources.files("exposure.report").joinpath("templates/report.css").read_text(encoding="utf-8")


def render_html(model: dict[str, Any], charts: dict[str, str]) -> str:
    """The complete, self-contained HTML document (CSS and SVG inlined; print CSS for the PDF)."""
    template = _environment().get_template("report.html.j2")
    return template.render(m=model, s=model["s"], charts={k: Markup(v) for k, v in charts.items()},
                           css=Markup(stylesheet()))
