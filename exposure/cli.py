"""The `exposure` command: a thin typer layer. Each command parses options, makes one library call, renders."""

from __future__ import annotations

import gc
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import exitcodes, interrupts, terminal
from .analysis.files import check_glob, folder_prefix
from .analysis.targets import parse_target
from .api import AnalysisOptions, Case
from .discovery import not_utf8, storable
from .errors import ExposureError, InputError, storage_failure
from .findings import Finding, exit_code, seal_findings
from .formats.registry import listed_formats
from .ingest import IngestOptions
from .interrupts import is_interrupt
from .outfiles import check_dir, check_file, refuse_protected
from .plural import plural
from .tabular import to_csv, to_json
from .terminal.ingest import print_ingest, progress
from .timefmt import validate_zone

if TYPE_CHECKING:
    from .report import ReportResult, ReportSettings

app = typer.Typer(
    name="exposure",
    help="Download-log forensics: when was a published file reachable, and who obtained a complete copy.",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # never dump local variables (they may hold log content) on a bug
)
err = terminal.stderr()  # notes, warnings, progress and errors; the answer goes to stdout

# -- shared options (defined once) ---------------------------------------------------------------------
def _path(value: str | Path) -> Path:
    """A path option's value: an empty one is refused (Path("") would silently mean the current folder)."""
    if isinstance(value, Path):
        return value
    if not value.strip():
        raise typer.BadParameter("an empty path")
    return Path(value)


Inputs = Annotated[list[Path], typer.Argument(parser=_path, help="Log files or folders (searched recursively; .gz/.bz2 read).",
                                              show_default=False)]
CaseInputs = Annotated[list[Path] | None, typer.Argument(
    parser=_path, show_default=False,
    help="Log files or folders (searched recursively; .gz/.bz2 read). Optional with --case: the case is answered "
         "as ingested, after adding any given.")]
CaseOpt = Annotated[Path | None, typer.Option("--case", parser=_path, help="Case database file (DuckDB).", envvar="EXPOSURE_CASE")]
RequiredCaseOpt = Annotated[Path, typer.Option("--case", parser=_path, help="Case database file (DuckDB).", envvar="EXPOSURE_CASE")]
FormatOpt = Annotated[str | None, typer.Option("--format", help="Force a log format by name (see `exposure formats`).")]
LogTzOpt = Annotated[str | None, typer.Option("--log-tz", help=(
    "IANA zone of logs whose times carry no offset (a LogFormat time without %z, Caddy's wall times, IIS "
    "date-local/time-local). W3C/IIS date and time, S3, CloudFront and ALB times are UTC by their format: "
    "not converted."))]
TargetOpt = Annotated[list[str] | None, typer.Option("--target", help="Exact URL path of a published file (repeatable).")]
TargetGlobOpt = Annotated[list[str] | None, typer.Option(
    "--target-glob", help="Every served path matching this GLOB pattern, e.g. '/documenten/wob/2020/*' (repeatable).")]
UnderOpt = Annotated[list[str] | None, typer.Option(
    "--under", help="Every served path under this folder, e.g. /documenten/wob/2020/ (repeatable).")]
OutputCsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
OutputJsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON records instead of a table.")]
InternalOpt = Annotated[list[str] | None, typer.Option(
    "--internal", help="CIDR of the publishing organisation's own addresses (repeatable).")]
SizeOpt = Annotated[int | None, typer.Option("--size", help="File size in bytes (default: inferred per window).")]
AliasOpt = Annotated[list[str] | None, typer.Option(
    "--alias", help="Another path that served the same file (a possible copy you confirm): its downloads count "
                    "toward the target's totals, each labelled via it (repeatable).")]
DisplayTzOpt = Annotated[str | None, typer.Option(
    "--display-tz", help="Zone for local times (default: the logs' own offset, else UTC).")]
JsonOpt = Annotated[Path | None, typer.Option("--json", parser=_path, help="Write the JSON answer (exposure.analysis/1) here.")]
GeoCityOpt = Annotated[str | None, typer.Option(
    "--geoip-city", help="GeoIP City .mmdb (else $EXPOSURE_GEOIP_CITY, else the packaged GeoLite2-City of July 2018; "
                         "'none' for no lookups).", show_default=False)]
GeoAsnOpt = Annotated[str | None, typer.Option(
    "--geoip-asn", help="GeoIP ASN .mmdb (else $EXPOSURE_GEOIP_ASN; 'none' for no lookups).", show_default=False)]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="No progress, no per-file lines and (analyse) no answer on the terminal; warnings and "
                          "errors are still said.")]
ReportDirOpt = Annotated[Path | None, typer.Option(
    "--report", parser=_path, help="Also write the evidentiary report (HTML, PDF, CSV, JSON, manifest) into this folder.")]
CaseInfoOpt = Annotated[Path | None, typer.Option(
    "--case-info", parser=_path, help="TOML with the case facts logs cannot give (see docs/case-info.example.toml).")]
LangOpt = Annotated[str, typer.Option("--lang", help="Report language: en or nl.")]
PseudonymiseOpt = Annotated[bool, typer.Option(
    "--pseudonymise-ips", help="Replace every IP address in the report by a keyed pseudonym (HMAC-SHA256).")]
PseudonymKeyOpt = Annotated[Path | None, typer.Option(
    "--pseudonym-key", parser=_path, help="File holding the pseudonym key (default: a key kept in the case file).")]
PinTimeOpt = Annotated[str | None, typer.Option(
    "--pin-time", help="Generation time to print in the report (ISO 8601), for byte-identical reruns.")]
LogFormatOpt = Annotated[str | None, typer.Option(
    "--log-format", help="Custom Apache LogFormat string, e.g. '%h %l %u %t \"%r\" %>s %b'.")]
NginxFormatOpt = Annotated[str | None, typer.Option(
    "--nginx-log-format", help="Custom nginx log_format string, e.g. '$remote_addr - $remote_user [$time_local] ...'.")]
JsonFieldsOpt = Annotated[str | None, typer.Option(
    "--json-fields", help="Field mapping for JSON lines, e.g. 'time=ts,client=remote_ip,method=verb,path=uri,status=status,bytes=size' (without method= no response counts as a download).")]
ClientIpFromOpt = Annotated[str | None, typer.Option(
    "--client-ip-from", help="Take the client address from 'xff' (X-Forwarded-For) instead of the connection.")]
TrustedProxyOpt = Annotated[list[str] | None, typer.Option(
    "--trusted-proxy", help="CIDR of a proxy/load balancer in front of the server (repeatable).")]
StreamFromOpt = Annotated[str | None, typer.Option(
    "--stream-from", help="Which files are one server's log stream: 'name' (the log's name alone), 'folder' (the "
                          "folder a file is in, date folders such as 2020-06-08 taken off) or a regular expression on the path whose group 'stream' (or first "
                          "group) is the stream. Default: names, then content, copies joining what they copy. "
                          "Kept in the case.")]
BytesOpt = Annotated[str | None, typer.Option(
    "--bytes", help="What the logs' byte counts cover: 'body' (%b, $body_bytes_sent) or 'headers' (%O, "
                    "$bytes_sent). Default: the format's, or inferred from the data where the log cannot say.",
    show_default=False)]


def _say(text: str) -> None:
    """One line on stderr: control characters shown as escapes (paths and values may hold any), never wrapped."""
    terminal.say(err, text)


def _fail(exc: Exception) -> None:
    _say(f"exposure: error: {exc}")  # one line, never wrapped, inert (a path may be hostile)
    raise typer.Exit(code=exitcodes.NO_ANSWER) from None


def _seal_warnings(seal: dict[str, object]) -> bool:
    """Say on stderr when the case's seal does not hold: a line for each of the first differences, the count of the
    rest (a killed ingest of a thousand files leaves thousands: the JSON answer and `exposure verify` name every
    one); True when it holds."""
    findings = list(seal.get("findings") or [])  # type: ignore[call-overload]
    for line in terminal.capped([f"WARNING: the case was changed outside exposure: {f}" for f in findings],
                                lambda n: f"WARNING: the case was changed outside exposure: "
                                          f"{plural(n, '# more difference', '# more differences')} (the JSON "
                                          "answer's seal.findings and exposure verify name every one)"):
        _say(line)
    return not findings


def _check_outputs(case: Path | None = None, json_out: Path | None = None, report: Path | None = None,
                   inputs: Sequence[Path] = ()) -> None:
    """Paths the command will write, checked before any work: one line for a bad one, nothing half-written; an
    output never replaces an input or the case (evidence found under an input folder is checked once it is
    registered: `_check_json`)."""
    files = [p for p in inputs if not p.is_dir()]
    if case is not None:
        check_file(case, "--case")
        refuse_protected([case], files, "--case")
    if json_out is not None:
        check_file(json_out, "--json")
        refuse_protected([json_out], [*files, *((case, f"{case}.wal") if case is not None else ())], "--json")
    if report is not None:
        check_dir(report, "--report")


def _check_json(c: Case, json_out: Path | None) -> None:
    """The JSON answer never replaces evidence registered in the case (found under an input folder, or ingested
    before), nor the case (also a temporary one)."""
    if json_out is not None:
        refuse_protected([json_out], c.file.protected_paths(), "--json")


def _ingest_options(fmt: str | None, log_tz: str | None, log_format: str | None = None,
                    nginx_log_format: str | None = None, json_fields: str | None = None,
                    client_ip_from: str | None = None, trusted_proxy: list[str] | None = None,
                    bytes_meaning: str | None = None, stream_from: str | None = None) -> IngestOptions:
    """The input options shared by `ingest` and `analyse`, validated before anything is written."""
    return IngestOptions(format=fmt, log_tz=validate_zone(log_tz), log_format=log_format,
                         nginx_log_format=nginx_log_format, json_fields=json_fields,
                         client_ip_from=client_ip_from, trusted_proxies=tuple(trusted_proxy or ()),
                         bytes_meaning=bytes_meaning, stream_from=stream_from).validated()


def _print_findings(findings: list[Finding], quiet: bool) -> None:
    """Every finding about the evidence, one line each on stderr (an incomplete one even with --quiet; the stated
    ones of a kind capped, the rest counted: terminal.finding_list): paths in full, made visible, never wrapped
    (exposure/terminal)."""
    terminal.print_findings(err, terminal.finding_list(findings, quiet))
    if any(f.unread for f in findings):
        _say("exposure: the evidence is incomplete (see above): the answer rests on what could be read "
             f"(exit code {exitcodes.INCOMPLETE})")
    elif any(f.incomplete for f in findings):  # a damaged file proven a corrupted copy, evidence changed since ingest
        _say("exposure: the evidence is incomplete (see above), nothing of it unread "
             f"(exit code {exitcodes.INCOMPLETE})")


def _exit_for(findings: list[Finding]) -> None:
    """Exit 3 when the answer was produced from incomplete evidence (after everything was written)."""
    code = exit_code(findings)
    if code:
        raise typer.Exit(code=code)


def _command_line() -> str:
    return " ".join(shlex.quote(a) for a in ["exposure", *sys.argv[1:]])


@app.command()
def ingest(inputs: Inputs, case: Annotated[Path, typer.Option("--case", parser=_path, help="Case database file (DuckDB).",
                                                               envvar="EXPOSURE_CASE")],
           fmt: FormatOpt = None, log_tz: LogTzOpt = None, log_format: LogFormatOpt = None,
           nginx_log_format: NginxFormatOpt = None, json_fields: JsonFieldsOpt = None,
           client_ip_from: ClientIpFromOpt = None, trusted_proxy: TrustedProxyOpt = None,
           bytes_meaning: BytesOpt = None, stream_from: StreamFromOpt = None, quiet: QuietOpt = False) -> None:
    """Add log files to a persistent case: hash, register and parse every line.

    Exit code 0: everything read; 3: some evidence could not be fully read (named above), or the case's seal does
    not hold (exposure verify names each difference); 2: nothing ingested.
    """
    try:
        _check_outputs(case=case)
        options = _ingest_options(fmt, log_tz, log_format, nginx_log_format, json_fields, client_ip_from,
                                  trusted_proxy, bytes_meaning, stream_from)
        with Case(case) as c:
            with progress(err, quiet) as (on_progress, on_file):
                result = c.ingest(inputs, options, on_file=on_file, on_progress=on_progress)
            # a case whose seal does not hold after the ingest (what it could not mend) is said, as analyse says it
            findings = seal_findings(c.file, c.seal_check()) + c.findings()
    except ExposureError as exc:
        _fail(exc)
    print_ingest(err, result, quiet)
    _print_findings(findings, quiet)
    _exit_for(findings)


@app.command()
def analyse(inputs: CaseInputs = None, target: TargetOpt = None, target_glob: TargetGlobOpt = None, under: UnderOpt = None,
            case: CaseOpt = None, fmt: FormatOpt = None,
            log_tz: LogTzOpt = None, log_format: LogFormatOpt = None, nginx_log_format: NginxFormatOpt = None,
            json_fields: JsonFieldsOpt = None, client_ip_from: ClientIpFromOpt = None,
            trusted_proxy: TrustedProxyOpt = None, bytes_meaning: BytesOpt = None,
            stream_from: StreamFromOpt = None,
            internal: InternalOpt = None, size: SizeOpt = None, alias: AliasOpt = None,
            display_tz: DisplayTzOpt = None, json_out: JsonOpt = None, quiet: QuietOpt = False,
            geoip_city: GeoCityOpt = None, geoip_asn: GeoAsnOpt = None, report: ReportDirOpt = None,
            case_info: CaseInfoOpt = None, lang: LangOpt = "en", pseudonymise_ips: PseudonymiseOpt = False,
            pseudonym_key: PseudonymKeyOpt = None, pin_time: PinTimeOpt = None) -> None:
    """Ingest logs (into a temporary case unless --case; with --case they may be left out) and answer: windows and downloads per target.

    Exit code 0: a complete answer; 3: an answer from incomplete evidence (still written in full; what could not
    be read is named above); 2: no answer.
    """
    # the analysis and the outputs are imported by the commands that answer, never at start-up
    from .answer import write_json
    from .terminal.answer import print_answer, warning_lines
    from .verify import CaseVerification

    inputs = inputs or []
    try:
        if not inputs and case is None:
            raise InputError("give the log files or folders to analyse, or --case with a case they were ingested "
                             "into (exposure ingest --case FILE LOGS...)")
        if not inputs and case is not None:
            _answerable(case)
        reading = [name for name, value in (("--format", fmt), ("--log-tz", log_tz), ("--log-format", log_format),
                                            ("--nginx-log-format", nginx_log_format), ("--json-fields", json_fields),
                                            ("--client-ip-from", client_ip_from), ("--trusted-proxy", trusted_proxy),
                                            ("--bytes", bytes_meaning), ("--stream-from", stream_from)) if value]
        if not inputs and reading:  # they apply to the files a command names: with none they would do nothing
            raise InputError(f"{', '.join(reading)}: options for reading logs, given without log files or folders: "
                             "give the logs they are for, or leave them out to answer from the case as ingested "
                             "(the case keeps how its files were read)")
        _check_outputs(case=case, json_out=json_out, report=report, inputs=inputs)
        options = AnalysisOptions(internal=tuple(internal or ()), size=size, display_tz=display_tz,
                                  geoip_city=geoip_city, geoip_asn=geoip_asn, aliases=tuple(alias or ())).validated()
        ing = _ingest_options(fmt, log_tz, log_format, nginx_log_format, json_fields, client_ip_from,
                              trusted_proxy, bytes_meaning, stream_from)
        given = [name for name, value in (("--case-info", case_info), ("--lang", lang != "en" or None),
                                          ("--pseudonymise-ips", pseudonymise_ips or None),
                                          ("--pseudonym-key", pseudonym_key), ("--pin-time", pin_time))
                 if value is not None]
        if report is None and given:
            raise InputError(f"{', '.join(given)}: report options, given without --report")
        # the report's settings only with --report: without it they are all defaults (checked above), and the
        # report's modules (jinja2, the PDF and spreadsheet writers) are not imported for an answer alone
        settings = (_report_settings(lang, case_info, pseudonymise_ips, pseudonym_key, pin_time)
                    if report is not None else None)
        for t in target or []:
            parse_target(t)  # a malformed target, glob or folder fails before any work (an ingest of the logs)
        for g in target_glob or []:
            check_glob(g)
        for u in under or []:
            folder_prefix(u)
        with Case(case) as c:
            result = None
            if inputs:  # with --case alone the case is answered as it was ingested
                with progress(err, quiet) as (on_progress, on_file):
                    result = c.ingest(inputs, ing, on_file=on_file, on_progress=on_progress)
            _check_json(c, json_out)
            targets = c.expand_targets(target or [], target_glob or [], under or [])
            if report is not None:
                assert settings is not None  # made above with --report
                written = c.report(targets, report, options, settings)
                # the report's own answer (its analysis.json, the same re-hash and seal check) unless it carries
                # pseudonyms: then the same analysis again, with the report's re-hash, for --json and the terminal
                answer = (written.answer if not settings.pseudonymise else
                          c.analyse(targets, options, command=_command_line(),
                                    verification=CaseVerification(written.verification, written.seal)))
            else:
                answer = c.analyse(targets, options, command=_command_line())
    except ExposureError as exc:
        _fail(exc)
    findings = [Finding.from_json(f) for f in answer["findings"]]
    if result is not None:
        print_ingest(err, result, quiet)
    _print_findings(findings, quiet)
    if report is not None:
        _report_written(written, quiet)
    if json_out:
        write_json(answer, json_out)
        if not quiet:
            _say(f"wrote {json_out}")
    if not quiet:  # the answer on the terminal, with --json too: the JSON is for programs, this for people
        print_answer(terminal.stdout(), answer)
    else:  # its warnings still said (--quiet's help), none twice: a file's that this command's ingest said
        said = result.warnings if result is not None else []
        terminal.print_findings(err, [line for line in warning_lines(answer)
                                      if not any(w.startswith(line.removeprefix("warning: ")) for w in said)])
    _seal_warnings(answer["seal"])
    _exit_for(findings)


def _report_settings(lang: str, case_info: Path | None, pseudonymise_ips: bool, pseudonym_key: Path | None,
                     pin_time: str | None) -> ReportSettings:
    from .report import ReportSettings, parse_pin_time

    return ReportSettings(lang=lang, case_info=case_info, pseudonymise=pseudonymise_ips,
                          pseudonym_key=pseudonym_key,
                          pin_time=parse_pin_time(pin_time) if pin_time is not None else None,
                          command=_command_line()).validated()


def _report_written(result: ReportResult, quiet: bool) -> None:
    for v in result.evidence_problems:
        _say(f"WARNING: evidence {v.status}: {v.path} (flagged on the report's first page)")
    for name, why in result.left_out.items():
        _say(f"WARNING: {name} not written: {why}")
    if result.page_one_over:
        _say(f"WARNING: report.pdf's first page could not hold its evidence status and case box: the last"
             f" {plural(result.page_one_over, '# printed line', '# printed lines')} of them stand at the top of page 2")
    if not quiet:
        _say(f"wrote {', '.join(result.files)} in {result.out_dir}")


@app.command()
def report(case: RequiredCaseOpt,
           out: Annotated[Path, typer.Option("--out", parser=_path, help="Folder for the report files.")],
           target: TargetOpt = None, target_glob: TargetGlobOpt = None, under: UnderOpt = None, case_info: CaseInfoOpt = None, lang: LangOpt = "en", pseudonymise_ips: PseudonymiseOpt = False,
           pseudonym_key: PseudonymKeyOpt = None, pin_time: PinTimeOpt = None, internal: InternalOpt = None,
           size: SizeOpt = None, alias: AliasOpt = None, display_tz: DisplayTzOpt = None, geoip_city: GeoCityOpt = None,
           geoip_asn: GeoAsnOpt = None, quiet: QuietOpt = False) -> None:
    """Write the evidentiary report for the regulator: report.html, report.pdf, CSVs, analysis.json, manifest.

    Exit code 0: a complete answer; 3: an answer from incomplete evidence, an evidence file changed or missing
    since ingest, or a case changed outside exposure (the report is still written in full and says so on its
    first page); 2: no report.
    """
    try:
        if not (target or target_glob or under):
            raise InputError("report needs at least one --target, --target-glob or --under")
        _answerable(case)
        check_dir(out, "--out")
        options = AnalysisOptions(internal=tuple(internal or ()), size=size, display_tz=display_tz,
                                  geoip_city=geoip_city, geoip_asn=geoip_asn, aliases=tuple(alias or ())).validated()
        settings = _report_settings(lang, case_info, pseudonymise_ips, pseudonym_key, pin_time)
        with Case(case) as c:
            targets = c.expand_targets(target or [], target_glob or [], under or [])
            result = c.report(targets, out, options, settings)
    except ExposureError as exc:
        _fail(exc)
    _report_written(result, quiet)
    _seal_warnings(result.answer["seal"])
    findings = [Finding.from_json(f) for f in result.answer["findings"]]
    _print_findings(findings, quiet)
    _exit_for(findings)


@app.command("formats")
def formats_cmd() -> None:
    """List the supported log formats with one example line each."""
    out = terminal.stdout()
    for fmt in listed_formats():  # built-in formats, then the --log-format/--nginx-log-format/--json-fields ones
        terminal.say(out, f"{fmt.name}  {fmt.description}")
        terminal.say(out, f"    {fmt.example}")


@app.command()
def verify(case: Annotated[Path, typer.Option("--case", parser=_path, help="Case database file (DuckDB).", envvar="EXPOSURE_CASE")],
           paths: Annotated[list[Path] | None, typer.Argument(
               parser=_path, help="Only these evidence files (or files under these folders); default every file in the case.",
               show_default=False)] = None,
           anchor: Annotated[str | None, typer.Option(
               "--anchor", help="A case digest kept outside the case (a report's first page, the notification): "
                                "it must be a link of the case's seal.")] = None) -> None:
    """Re-hash evidence files (match / changed / missing) and check the case's seal: its chain, registry, activity log and every stored row. Opens the case read-only (read-only media work).

    Exit code 0: everything matches and the seal holds; 3: an evidence file changed or is missing, a given path is
    not evidence, or the seal does not hold; 2: nothing could be verified (no case, no evidence, a malformed
    --anchor).
    """
    wanted = [str(q) for p in paths or [] for q in ([*sorted(p.rglob("*"))] if p.is_dir() else [p])]
    try:
        _existing(case)
        with Case(case, read_only=True) as c:
            if not c.file.fetchone("SELECT count(*) FROM evidence")[0]:
                raise ExposureError(f"{case}: no evidence in this case")
            result = c.verify(wanted if paths else None, anchor)
            unfinished = c.file.unfinished()
            known = {a for row in c.file.fetchall("SELECT abs_path, path FROM evidence")
                     for a in (row[0], os.path.abspath(row[1]))}
    except ExposureError as exc:
        _fail(exc)
    out = terminal.stdout()
    for v in result.files:
        terminal.say(out, f"{v.status:<8} {v.path} (evidence {v.evidence_id})  sha256 {v.recorded_sha256}"
                          + (f" now {v.current_sha256}" if v.status == "changed" else "")
                          + (f"  ({v.detail})" if v.detail else ""))
    unknown = [w for w in wanted if os.path.abspath(w) not in known and Path(w).is_file()]
    for w in unknown:
        terminal.say(out, f"{'unknown':<8} {w}  (not evidence in this case)")
    seal = result.seal
    for finding in seal.findings:
        terminal.say(out, f"{'BROKEN':<8} {finding.message}")
    if seal.holds:
        terminal.say(out, f"{'sealed':<8} {seal.links} links hold, every stored row re-hashed; case digest "
                          f"{seal.evidence_digest} (link {seal.evidence_link})"
                          + (f"; the digest kept outside is link {seal.anchor_link}" if seal.anchor_link else ""))
    terminal.say(out, f"{'head':<8} {seal.head} (link {seal.links})")
    if unfinished:  # read-only: the recovery runs on the next writable open
        _say(f"warning: a command ({unfinished}) did not finish (interrupted or killed): the steps over the whole case "
             "(repeated lines, log streams, byte meanings) may not have run after it; the next command that writes to "
             "the case (exposure ingest of the same files) settles it and notes it in the activity log")
    if paths and not result.files:
        _fail(ExposureError("none of the given paths is evidence in this case"))
    bad = [v for v in result.files if not v.ok]
    if bad or unknown or not seal.holds:
        _say(f"exposure: {len(bad)} of {len(result.files)} evidence files changed or missing"
             + (f"; {len(unknown)} not in the case" if unknown else "")
             + ("" if seal.holds else "; the case's seal does not hold "
                                     f"({plural(len(seal.findings), '# difference', '# differences')})"))
        raise typer.Exit(code=exitcodes.INCOMPLETE)
    _say(f"all {len(result.files)} evidence files match; the case's seal holds")


# -- the workbench: files, timeline, sql -------------------------------------------------------------------


def _existing(case: Path) -> Path:
    """A case a command reads must exist: one line saying how to make one, never an empty case made for it."""
    if not case.is_file():
        raise InputError(f"no case file at {case}: make one with exposure ingest --case {shlex.quote(str(case))} "
                         "LOGS...")
    return case


def _answerable(case: Path) -> None:
    """A case a command answers from without logs to ingest (report, analyse --case alone) is a case holding
    evidence, checked read-only first: an empty database (a creation stopped) or a case without evidence is
    refused in one line, never made anew or answered 'complete, 0 files'."""
    with Case(_existing(case), read_only=True) as c:
        if not c.file.fetchone("SELECT count(*) FROM evidence")[0]:
            raise InputError(f"{case} holds no evidence: ingest logs into it first (exposure ingest --case "
                             f"{shlex.quote(str(case))} LOGS...)")


def _open_existing(case: Path) -> Case:
    return Case(_existing(case), read_only=True)


def _evidence_said(c: Case) -> list[Finding]:
    """The findings a door that answers from the case (files, timeline, sql) says on stderr and exits by: the
    case's seal and the findings kept at settle (queries/findings.sql on the stored silences), as analyse has
    them; only the incomplete ones are printed (_print_findings quiet), stdout stays the answer alone."""
    return seal_findings(c.file, c.seal_check()) + c.findings()


def _say_status(findings: list[Finding]) -> None:
    """After the answer is written: the incomplete findings and the status line on stderr, then exit 3 if any."""
    _print_findings(findings, quiet=True)
    _exit_for(findings)


def _render(df: object, csv_out: bool, json_out: bool, title: str | None = None) -> None:
    if csv_out and json_out:
        _fail(ExposureError("give --csv or --json, not both"))
    if csv_out:
        terminal.write_data(to_csv(df))
    elif json_out:
        terminal.write_data(to_json(df), json_text=True)
    else:
        terminal.print_frame(terminal.stdout(), df, title)


FILES_TABLE_OMITS = ("spellings", "closed_windows", "size_votes", "size_rule", "requesting_ips",
                     "available_responses", "unavailable_responses", "shared_requests",
                     "shared_with", "reopened_elsewhere", "hosts", "lengths_stated", "closed_by_error_page",
                     "reopened_in_flight", "sizes_in_doubt", "redirects_after", "sent_count_formats", "unseen_from",
                     # spellings stays where a file has more than one
                     # the answer's other totals (queries/totals.sql figure_macros): CSV and JSON carry them
                     "head_requests", "not_modified", "errors", "no_method_responses")
# of the complete downloads, those by automated fetchers, by a CDN filling its cache and logged without a client
# address: in the table where some file has some, beside complete_downloads (as analyse says them beside its figure)
FILES_TABLE_WHERE_SOME = ("fetcher_complete_downloads", "cdn_complete_downloads", "no_address_complete_downloads",
                         "complete_on_sent_counts")


@app.command("files")
def files_cmd(case: RequiredCaseOpt,
              under: Annotated[str | None, typer.Option("--under", help="Only paths under this folder.")] = None,
              glob: Annotated[str | None, typer.Option("--glob", help="Only paths matching this GLOB pattern.")] = None,
              internal: InternalOpt = None, target: Annotated[list[str] | None, typer.Option(
                  "--target", help="A row with the numbers analyse --target PATH gives, named as given "
                                   "(repeatable): it counts what --target counts, so it may take an IIS file's "
                                   "row, or add a row beside a file that counts the same IIS lines.")] = None,
              csv_out: OutputCsvOpt = False, json_out: OutputJsonOpt = False) -> None:
    """Every file served: first/last available, windows, complete downloads, addresses; withdrawn files first.

    Windows, sizes and downloads per file by the same rule as `analyse` (queries/downloads_rule.sql): for a
    target, the same numbers, every figure of the answer's totals (queries/totals.sql figure_macros; the table
    shows fetcher_complete_downloads and cdn_complete_downloads where some file has some, CSV and JSON every one).
    Counts are of external addresses (not in --internal). Where byte counts include
    headers (--bytes headers), the last window's complete-transfer band: its edge (band_bytes) and floor
    (band_floor; where neither --size nor the log's completion flag judges a count, from the floor up to the edge
    undetermined, below it partial), as analyse gives them.
    """
    try:
        with _open_existing(case) as c:
            df = c.files(under=under, glob=glob, internal=tuple(internal or ()), targets=tuple(target or ()))
            findings = _evidence_said(c)
    except ExposureError as exc:
        _fail(exc)
    from .answer import (
        error_page_warning,
        lengths_warning,
        never_requested,
        redirects_after_sentence,
        reopened_elsewhere_sentence,
        reopened_in_flight_sentence,
        sent_counts_sentence,
        several_hosts_sentence,
        shared_spellings_sentence,
        size_doubt_warnings,
    )

    rows = set(df["path"])
    for given in target or ():  # a target without a row of its own (a host target: none of its host's lines), as
        parsed = parse_target(given)  # analyse says it; else the path's row over every host reads as the target's
        if (given if parsed.host is not None else parsed.path) not in rows:
            terminal.say(err, f"warning: {never_requested(given)}")
    for path, n, others in df.loc[df["shared_requests"] > 0, ["path", "shared_requests", "shared_with"]].itertuples(
            index=False):  # said whatever the output: summed, these requests count more than once
        terminal.say(err, f"warning: {path}: {shared_spellings_sentence(int(n), list(others))}")
    for path, pairs in df[["path", "reopened_elsewhere"]].itertuples(index=False):  # analyse's warning, one rule
        for pair in pairs:
            terminal.say(err, f"warning: {path}: {reopened_elsewhere_sentence({**pair, 'via': None})}")
    for path, pairs in df[["path", "reopened_in_flight"]].itertuples(index=False):  # analyse's warning, one rule
        for pair in pairs:
            terminal.say(err, f"warning: {path}: {reopened_in_flight_sentence({**pair, 'via': None})}")
    for path, hosts in df[["path", "hosts"]].itertuples(index=False):  # analyse's warning (target_hosts), one rule
        if len(hosts):
            terminal.say(err, f"warning: {several_hosts_sentence(path, list(hosts))}")
    for path, stated in df[["path", "lengths_stated"]].itertuples(index=False):  # analyse's (rule_several_lengths)
        for w in stated:
            terminal.say(err, f"warning: {path}: {lengths_warning(int(w['window']), [int(n) for n in w['lengths']])}")
    for path, doubted in df[["path", "sizes_in_doubt"]].itertuples(index=False):  # analyse's (rule_sizes_in_doubt)
        for w in doubted:
            for said in size_doubt_warnings(int(w['window']), list(w['sizes']), int(w['size']),
                                            None if w['largest'] is None else int(w['largest'])):
                terminal.say(err, f"warning: {path}: {said}")
    for path, ends in df[["path", "redirects_after"]].itertuples(index=False):  # analyse's (rule_redirects_after)
        for w in ends:
            where = f"{w['file']}:{int(w['line_no'])}"
            terminal.say(err, f"warning: {path}: {redirects_after_sentence({**w, 'via': None}, where)}")
    # analyse's (rule_complete_on_sent_counts): complete means logged as sent, not shown received; one line for
    # every file so counted (a site's every served file would repeat it), each file's number in its column
    sent = df.loc[df["complete_on_sent_counts"] > 0]
    if len(sent):
        formats = sorted({str(f) for fs in sent["sent_count_formats"] for f in fs})
        said = sent_counts_sentence(int(sent["complete_on_sent_counts"].sum()), int(sent["complete_downloads"].sum()),
                                    formats)
        terminal.say(err, f"warning: {sent['path'].iloc[0]}: {said}" if len(sent) == 1 else
                     f"warning: {plural(len(sent), '# file', '# files')}: {said} (each file's number: column "
                     "complete_on_sent_counts)")
    for path, closed in df[["path", "closed_by_error_page"]].itertuples(index=False):  # analyse's (rule_error_page)
        for window in closed:
            terminal.say(err, f"warning: {path}: {error_page_warning(int(window))}")
    if not (csv_out or json_out):  # the terminal table keeps the headline columns; CSV and JSON carry every one
        many = bool(len(df)) and bool(df["spellings"].map(len).gt(1).any())
        df = df.drop(columns=[c for c in FILES_TABLE_OMITS if c != "spellings" or not many])
        if not df["internal_requests"].any():  # said where some are: `requests` counts external addresses only
            df = df.drop(columns=["internal_requests"])
        if not df["inferred_complete_downloads"].any():  # said where some are: complete by a sum of range parts
            df = df.drop(columns=["inferred_complete_downloads", "inferred_only_ips"])
        for column in FILES_TABLE_WHERE_SOME:  # shown beside the complete downloads (in this order), where some are
            shown = df.pop(column)  # (the CSV keeps them after its older columns: files.sql's stable order)
            if shown.any():
                df.insert(df.columns.get_loc("internal_complete_downloads"), column, shown)
        if not df["band_bytes"].notna().any():  # said where some file's counts include headers: the band's edge
            df = df.drop(columns=["band_bytes", "band_floor"])  # and floor (below it partial), as analyse says them
        # said where some file was only refused after its last window (may have been withdrawn), beside withdrawn_at
        refused = df.pop("refused_after")
        if refused.notna().any():
            df.insert(df.columns.get_loc("withdrawn_at") + 1, "refused_after", refused)
    _render(df, csv_out, json_out, title=f"paths served{' under ' + under if under else ''}"
            f"{' matching ' + glob if glob else ''}")
    _say_status(findings)


@app.command("timeline")
def timeline_cmd(case: RequiredCaseOpt,
                 target: Annotated[str, typer.Option("--target", help="Exact URL path of the published file.")],
                 internal: InternalOpt = None, size: SizeOpt = None, display_tz: DisplayTzOpt = None) -> None:
    """The target's requests in time order, one line each: UTC, local time, address, class, request, status, bytes, outcome (complete / partial / range part / HEAD / 304 / 404 ...), window and evidence line."""
    from .answer import never_requested
    from .terminal.timeline import timeline_lines
    from .timefmt import log_zone

    try:
        options = AnalysisOptions(internal=tuple(internal or ()), size=size, display_tz=display_tz).validated()
        with _open_existing(case) as c:
            df = c.timeline(target, options)
            # note: said, as analyse says it
            zones = c.file.log_zones()
            zone, notes = log_zone(display_tz, c.file.log_offset_counts(), zones, c.file.off_log_zone(zones))
            findings = _evidence_said(c)
    except ExposureError as exc:
        _fail(exc)
    for note in notes:
        terminal.say(err, f"warning: {note}")
    if df.empty:
        terminal.say(err, f"warning: {never_requested(target)}")
    out = terminal.stdout()
    terminal.say(out, f"{target}: {plural(len(df), '# request', '# requests')}; times UTC and {zone.name}")
    terminal.say_all(out, timeline_lines(df, zone))
    _say_status(findings)


@app.command("sql")
def sql_cmd(query: Annotated[str, typer.Argument(help="queries/NAME.sql, a bare NAME, or your own .sql file.")],
            case: RequiredCaseOpt,
            param: Annotated[list[str] | None, typer.Option(
                "--param", help="k=v, bound with SET VARIABLE (repeatable), e.g. target=/path/file.xlsx.")] = None,
            csv_out: OutputCsvOpt = False, json_out: OutputJsonOpt = False) -> None:
    """Run a named query on a case and print the result.

    Per-target queries (windows, downloads, per_ip, totals, timeline) take --param target=PATH (and
    internal=CIDR,...); the blocks a query needs (downloads_rule.sql, target.sql) run first by themselves. Opens
    the case read-only and sandboxed.
    """
    params: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            _fail(ExposureError(f"--param must be k=v, got '{item}'"))
        params[key.strip()] = value
    try:
        with _open_existing(case) as c:
            df = c.query(query, **params)
            findings = _evidence_said(c)
    except ExposureError as exc:
        _fail(exc)
    _render(df, csv_out, json_out)
    _say_status(findings)


@app.command("inspect")
def inspect_cmd(
        files: Annotated[list[Path], typer.Argument(parser=_path, help="Published documents: .xlsx/.xlsm, .docx, .pdf, .csv, text.",
                                                    show_default=False)],
        case: CaseOpt = None,
        json_out: Annotated[Path | None, typer.Option(
            "--json", parser=_path, help="Write the inspection (exposure.inspection/1) here.")] = None,
        show_values: Annotated[bool, typer.Option(
            "--show-values", help="Show sample values unmasked (for the investigator only).")] = False,
        target: Annotated[str | None, typer.Option(
            "--target", help="URL path of this file in the case's logs: compare its size per window.")] = None,
        quiet: QuietOpt = False) -> None:
    """What a leaked file really exposed: hidden sheets, rows, white text, covered PDF text, personal data."""
    from .answer import write_json
    from .inspect.link import compare_with_windows
    from .inspect.render import inspection_document
    from .terminal.inspection import print_inspection

    items = []
    try:
        _check_outputs(case=case, json_out=json_out, inputs=files)
        if target is not None:
            parse_target(target)
        with Case(case) as c:
            _check_json(c, json_out)
            for path in files:
                insp = c.inspect(path, show_values=show_values)
                items.append((insp, compare_with_windows(c.analysis, insp, target) if target else None))
    except ExposureError as exc:
        _fail(exc)
    if json_out:
        write_json(inspection_document(items), json_out)
        if not quiet:
            _say(f"wrote {json_out}")
    if not quiet or not json_out:
        out = terminal.stdout()
        for insp, link in items:
            print_inspection(out, insp, link)


@app.command("export")
def export_cmd(case: Annotated[Path, typer.Option("--case", parser=_path, help="Case database file (DuckDB).",
                                                  envvar="EXPOSURE_CASE")],
               parquet: Annotated[Path, typer.Option("--parquet", parser=_path, help="Directory for Parquet files (new or empty).")],
               quiet: QuietOpt = False) -> None:
    """Write the normalised requests as Parquet partitioned by date and host (schema: docs/scale.md)."""
    try:
        check_dir(parquet, "--parquet")
        with _open_existing(case) as c:
            n = c.export_parquet(parquet)
    except ExposureError as exc:
        _fail(exc)
    if not quiet:
        _say(f"wrote {plural(n, '# request', '# requests')} to {parquet}")


INTERRUPTED = ("exposure: interrupted ({how}); a case keeps only the files complete before it, "
               "and its activity log says so")


def _utf8_arguments(args: Sequence[str]) -> None:
    """Every argument in UTF-8 (the case holds text): a byte that is not (Python keeps it as a lone surrogate)
    would fail deep inside a query, so it is refused here, in one line. A file with such a name inside a folder
    given is recorded as unreadable (exposure/discovery.py)."""
    for number, arg in enumerate(args, 1):
        if not_utf8(arg):
            raise InputError(f"argument {number} ({storable(arg)}) is not valid UTF-8: give values in UTF-8 "
                             "(copy a file with such a name under a UTF-8 name, or give its folder)")


def main() -> None:
    """The `exposure` command: every outcome is an exit code of exposure.exitcodes and at most one line on stderr
    for a failure (never a traceback: set EXPOSURE_TRACEBACK=1 to see one for an unexpected failure)."""
    os.umask(0o077)  # case files, their WAL, reports and exports hold personal data: owner-only
    # the imports' objects (some 43,000 the collector tracks) live as long as the process: out of its reach, so
    # the full collections an ingest's allocations set off no longer scan them all again (1,000 small files:
    # 0.1-0.2 of 2.3 CPU-s, issue 19); what the command allocates is collected as before
    gc.freeze()
    interrupts.install()
    try:
        _utf8_arguments(sys.argv[1:])
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # usage: a missing or malformed option or argument (click's errors)
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            print(ctx.get_help())
        else:
            command = f" {ctx.info_name}" if ctx is not None and ctx.parent is not None else ""
            _say(f"exposure{command}: error: {exc.format_message()} (exposure{command} -h)")
        code = exitcodes.NO_ANSWER
    except (KeyboardInterrupt, typer.Abort):
        code = exitcodes.INTERRUPTED
    except ExposureError as exc:  # raised after a command's own handling (writing its output)
        _say(f"exposure: error: {exc}")
        code = exitcodes.NO_ANSWER
    except Exception as exc:  # a failure that is not the user's: said in one line, without a traceback
        if is_interrupt(exc):
            code = exitcodes.INTERRUPTED
        elif (refused := storage_failure(exc)) is not None:  # disk full, read-only: the user can act on it
            _say(f"exposure: error: {refused}; a case keeps only what was complete before it (its activity log "
                 "says so once it can be written): free space and run the command again")
            code = exitcodes.NO_ANSWER
        elif os.environ.get("EXPOSURE_TRACEBACK"):
            raise
        else:
            _say(f"exposure: error: unexpected failure ({type(exc).__name__}: {exc})")
            code = exitcodes.NO_ANSWER
    interrupts.finished()
    if code == exitcodes.INTERRUPTED:
        _say(INTERRUPTED.format(how=interrupts.how()))
    raise SystemExit(code if isinstance(code, int) else exitcodes.COMPLETE)


if __name__ == "__main__":
    main()
