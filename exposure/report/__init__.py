"""The evidentiary timeline report: HTML and PDF from one template, CSV tables, the JSON answer and a manifest.

`write_report` is the one entry point (the CLI goes through `Case.report`). Everything shown comes from the
model (`model.build_model`), which reads the JSON answer and the case database; nothing depends on the wall
clock except the generation time, which `pin_time` fixes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..answer import analyse, write_json
from ..errors import InputError
from ..outfiles import refuse_protected
from ..verify import Verification, verify_evidence
from .caseinfo import load_case_info
from .csv import (
    write_download_lines_csv,
    write_downloads_csv,
    write_referrers_csv,
    write_requests_csv,
    write_timeline_csv,
)
from .html import render_html
from .i18n import Strings, strings
from .inventory import listing
from .manifest import MANIFEST_NAME, write_manifest
from .model import QUERIES_FILE, ReportFacts, build_model, queries_text
from .pseudonym import Pseudonymiser, load_key, read_key_file

if TYPE_CHECKING:
    from weasyprint.document import Document

    from ..analysis.analyser import Analyser
    from ..analysis.options import AnalysisOptions
    from ..analysis.targets import Target
    from ..seal import SealCheck

REPORT_FILES = ("report.html", "report.pdf", "downloads.csv", "download_lines.csv", "timeline.csv", "requests.csv", "referrers.csv",
                "analysis.json",
                QUERIES_FILE)


@dataclass(frozen=True)
class ReportSettings:
    """How the report is made (not what it analyses: that is AnalysisOptions)."""

    lang: str = "en"
    case_info: str | os.PathLike[str] | None = None
    pseudonymise: bool = False
    pseudonym_key: str | os.PathLike[str] | None = None
    pin_time: datetime | None = None
    command: str | None = None
    pdf: bool = True

    def validated(self) -> ReportSettings:
        """Check every setting before any work (one clear error for a bad one)."""
        strings(self.lang)
        load_case_info(self.case_info)
        if self.pseudonym_key is not None:
            if not self.pseudonymise:
                raise InputError("--pseudonym-key needs --pseudonymise-ips")
            read_key_file(self.pseudonym_key)
        return self


@dataclass
class ReportResult:
    out_dir: Path
    files: list[str]
    verification: list[Verification]
    answer: dict[str, Any] = field(repr=False)
    seal: SealCheck | None = None
    left_out: dict[str, str] = field(default_factory=dict)  # a report file not written, and why (no Pango: the PDF)
    # printed lines of page 1's evidence status and case box that report.pdf prints on page 2 (0: page 1 holds them)
    page_one_over: int = 0

    @property
    def evidence_problems(self) -> list[Verification]:
        return [v for v in self.verification if not v.ok]


def parse_pin_time(text: str) -> datetime:
    """`--pin-time` as an aware UTC datetime; a time without offset is taken as UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InputError(f"--pin-time must be an ISO 8601 time such as 2020-08-01T12:00:00Z, not '{text}'") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def write_report(analysis: Analyser, targets: Sequence[str | Target], options: AnalysisOptions, out_dir: str | os.PathLike[str],
                 settings: ReportSettings | None = None) -> ReportResult:
    """Analyse the targets and write the report files into `out_dir` (owner-only permissions)."""
    from .pdf import fitted, pdf_unavailable  # WeasyPrint loads only when needed

    settings = settings or ReportSettings()
    s = strings(settings.lang)
    info = load_case_info(settings.case_info)
    options = options.validated()
    if not targets:
        raise InputError("give at least one --target")
    refuse_protected([Path(out_dir) / name for name in (*REPORT_FILES, MANIFEST_NAME)],
                     analysis.case.protected_paths(), "report file")
    parsed = analysis.resolve(targets, options)  # each with its --alias paths
    seal = analysis.case.seal_check(rows=True)  # the report checks every stored row, not only their counts
    verification = verify_evidence(analysis.case)  # first, so the answer's evidence_status carries it
    answer = analyse(analysis, list(targets), options, verification, seal)
    generated = (settings.pin_time or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    facts = ReportFacts(lang=settings.lang, strings=s, case_info=info, generated_at=generated,
                        command=settings.command, pseudonymised=settings.pseudonymise,
                        pinned=settings.pin_time is not None)
    pseudo = (Pseudonymiser.for_case(analysis.case, load_key(analysis.case, settings.pseudonym_key))
              if settings.pseudonymise else None)

    # the charts, drawn with the first model: they do not depend on page 1's room, so pdf.fitted's retries reuse them
    drawn: list[dict[str, str]] = []

    def render(page_one_less: int) -> tuple[dict[str, Any], str]:
        """The model and its HTML with page 1's budget `page_one_less` printed lines short."""
        model = build_model(analysis, parsed, options, answer, verification, facts, page_one_less)
        if pseudo is not None:
            keep = {k: model.pop(k) for k in ("s", "info")}
            model = {**pseudo.value(model), **keep}
        # text cut to a bound only now, from the pseudonymised entries: a path cut first would keep an address prefix
        model["inventory"] = listing(model["evidence"], s)  # None: few files, the register and coverage are tables
        if not drawn:
            drawn.append(_charts(model["targets"], s))
        return model, render_html(model, drawn[0])

    out_answer = answer
    if pseudo is not None:
        out_answer = {**pseudo.value(answer), "pseudonymised": {
            "method": "HMAC-SHA256 of the canonical address, first 12 hex digits, prefixed ip-",
            "note": "the key is held by the investigator and is not part of any output"}}
    out = Path(out_dir)
    _private_dir(out)
    why = pdf_unavailable() if settings.pdf else None
    document = None
    over = 0
    if settings.pdf and why is None:
        # page 1 fitted in the PDF's own layout (its estimate can be beaten); the HTML is the same page 1's
        made: dict[int, dict[str, Any]] = {}

        def html_of(page_one_less: int) -> str:
            made[0], text = render(page_one_less)
            return text

        html_text, document, over = fitted(html_of)
        model = made[0]
    else:
        model, html_text = render(0)
    written = ["report.html"]
    try:
        left_out = _write_files(out, html_text, model, out_answer, settings, written, document, why)
    except BaseException as exc:  # disk full, Ctrl-C: no half report is left to pass for a whole one
        for name in [*written, MANIFEST_NAME]:
            (out / name).unlink(missing_ok=True)
        if not isinstance(exc, OSError | InputError):
            raise
        why = (exc.strerror or str(exc)).lower() if isinstance(exc, OSError) else str(exc)
        raise InputError(f"cannot write the report to {out}: {why}; the files it had written are removed") from None
    return ReportResult(out, [*written, MANIFEST_NAME], verification, out_answer, seal, left_out, over)


def _charts(targets: list[dict[str, Any]], s: Strings) -> dict[str, str]:
    """Each file's chart by its anchor, and the overview of several files."""
    from .charts import overview_chart, target_chart  # matplotlib loads only when needed

    charts = {t["anchor"]: target_chart(t, s) for t in targets}
    if len(targets) > 1:
        charts["overview"] = overview_chart(targets, s)
    return charts


def _write_files(out: Path, html_text: str, model: dict[str, Any], out_answer: dict[str, Any],
                 settings: ReportSettings, written: list[str], document: Document | None,
                 why: str | None) -> dict[str, str]:
    """The report's files, each name added to `written` before it is written, the manifest last; returns the
    files left out, with why (`why`: the PDF where WeasyPrint cannot load Pango: the manifest lists what was
    written). `document`: the PDF's layout, page 1 fitted in it."""
    from .pdf import write_pdf

    left_out: dict[str, str] = {}
    (out / "report.html").write_text(html_text, encoding="utf-8")
    if why is not None:
        left_out["report.pdf"] = why
        (out / "report.pdf").unlink(missing_ok=True)  # an earlier run's PDF never passes for this report's
    elif settings.pdf:
        written.append("report.pdf")
        write_pdf(html_text, out / "report.pdf", document)
    for name, write in (("downloads.csv", write_downloads_csv), ("download_lines.csv", write_download_lines_csv),
                        ("timeline.csv", write_timeline_csv),
                        ("requests.csv", write_requests_csv), ("referrers.csv", write_referrers_csv)):
        written.append(name)
        write(model, out / name)
    written.append("analysis.json")
    write_json(out_answer, out / "analysis.json")
    written.append(QUERIES_FILE)
    (out / QUERIES_FILE).write_text(queries_text(), encoding="utf-8")
    write_manifest(out, written)
    for name in [*written, MANIFEST_NAME]:
        os.chmod(out / name, 0o600)
    return left_out
