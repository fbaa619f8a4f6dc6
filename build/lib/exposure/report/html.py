"""Render the report model to HTML with the one Jinja2 template (also used for the PDF).

Autoescaping is on for everything: log content (user agents, paths, referrers, raw lines) is text, never
markup. Only the charts, which we generate ourselves, are inserted as markup.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup


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
    env.filters["num"] = _num
    env.filters["dash"] = lambda v: "–" if v is None or v == "" else v
    return env


def _num(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")  # thin space: unambiguous in English and Dutch
    return str(value)


def stylesheet() -> str:
    return resources.files("exposure.report").joinpath("templates/report.css").read_text(encoding="utf-8")


def render_html(model: dict[str, Any], charts: dict[str, str]) -> str:
    """The complete, self-contained HTML document (CSS and SVG inlined; print CSS for the PDF)."""
    template = _environment().get_template("report.html.j2")
    return template.render(m=model, s=model["s"], charts={k: Markup(v) for k, v in charts.items()},
                           css=Markup(stylesheet()))
