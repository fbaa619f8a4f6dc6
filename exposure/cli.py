"""The `exposure` command: a thin typer layer. Each command parses options, makes one library call, renders."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .answer import write_json
from .case import AnalysisOptions, Case
from .errors import ExposureError
from .formats import all_formats
from .ingest import IngestOptions, IngestResult
from .summary import print_answer
from .timefmt import validate_zone

app = typer.Typer(
    name="exposure",
    help="Download-log forensics: when was a published file reachable, and who obtained a complete copy.",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)

# -- shared options (defined once) ---------------------------------------------------------------------
Inputs = Annotated[list[Path], typer.Argument(help="Log files or folders (searched recursively; .gz/.bz2 read).",
                                              show_default=False)]
CaseOpt = Annotated[Path | None, typer.Option("--case", help="Case database file (DuckDB).", envvar="EXPOSURE_CASE")]
FormatOpt = Annotated[str | None, typer.Option("--format", help="Force a log format by name (see `exposure formats`).")]
LogTzOpt = Annotated[str | None, typer.Option("--log-tz", help="IANA zone of logs whose times carry no offset.")]
TargetOpt = Annotated[list[str], typer.Option("--target", help="Exact URL path of a published file (repeatable).")]
InternalOpt = Annotated[list[str] | None, typer.Option(
    "--internal", help="CIDR of the publishing organisation's own addresses (repeatable).")]
SizeOpt = Annotated[int | None, typer.Option("--size", help="File size in bytes (default: inferred per window).")]
DisplayTzOpt = Annotated[str | None, typer.Option(
    "--display-tz", help="Zone for local times (default: the logs' own offset, else UTC).")]
JsonOpt = Annotated[Path | None, typer.Option("--json", help="Write the JSON answer (exposure.analysis/1) here.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or per-file lines.")]
LogFormatOpt = Annotated[str | None, typer.Option(
    "--log-format", help="Custom Apache LogFormat string, e.g. '%h %l %u %t \"%r\" %>s %b'.")]
NginxFormatOpt = Annotated[str | None, typer.Option(
    "--nginx-log-format", help="Custom nginx log_format string, e.g. '$remote_addr - $remote_user [$time_local] ...'.")]
JsonFieldsOpt = Annotated[str | None, typer.Option(
    "--json-fields", help="Field mapping for JSON lines, e.g. 'time=ts,client=remote_ip,path=uri'.")]
ClientIpFromOpt = Annotated[str | None, typer.Option(
    "--client-ip-from", help="Take the client address from 'xff' (X-Forwarded-For) instead of the connection.")]
TrustedProxyOpt = Annotated[list[str] | None, typer.Option(
    "--trusted-proxy", help="CIDR of a proxy/load balancer in front of the server (repeatable).")]


def _fail(exc: Exception) -> None:
    err.print(f"exposure: error: {exc}", markup=False, highlight=False)
    raise typer.Exit(code=1) from None


def _ingest_options(fmt: str | None, log_tz: str | None, log_format: str | None = None,
                    nginx_log_format: str | None = None, json_fields: str | None = None,
                    client_ip_from: str | None = None, trusted_proxy: list[str] | None = None) -> IngestOptions:
    """The input options shared by `ingest` and `analyse`, validated before anything is written."""
    return IngestOptions(format=fmt, log_tz=validate_zone(log_tz), log_format=log_format,
                         nginx_log_format=nginx_log_format, json_fields=json_fields,
                         client_ip_from=client_ip_from, trusted_proxies=tuple(trusted_proxy or ())).validated()


def _report_ingest(result: IngestResult, quiet: bool) -> None:
    for w in result.warnings:
        err.print(f"warning: {w}", markup=False, highlight=False)
    if quiet:
        return
    for f in result.files:
        extra = f" of evidence {f.duplicate_of}" if f.duplicate_of else ""
        err.print(f"{f.verdict}{extra}: {f.path}"
                  + (f" [{f.format}] lines={f.lines} requests={f.requests} rejected={f.rejected} skipped={f.skipped}"
                     if f.verdict == "ingested" else ""), markup=False, highlight=False)


def _command_line() -> str:
    return " ".join(shlex.quote(a) for a in ["exposure", *sys.argv[1:]])


@app.command()
def ingest(inputs: Inputs, case: Annotated[Path, typer.Option("--case", help="Case database file (DuckDB).",
                                                               envvar="EXPOSURE_CASE")],
           fmt: FormatOpt = None, log_tz: LogTzOpt = None, log_format: LogFormatOpt = None,
           nginx_log_format: NginxFormatOpt = None, json_fields: JsonFieldsOpt = None,
           client_ip_from: ClientIpFromOpt = None, trusted_proxy: TrustedProxyOpt = None,
           quiet: QuietOpt = False) -> None:
    """Add log files to a persistent case: hash, register and parse every line."""
    try:
        options = _ingest_options(fmt, log_tz, log_format, nginx_log_format, json_fields, client_ip_from,
                                  trusted_proxy)
        with Case(case) as c:
            result = c.ingest(inputs, options)
    except ExposureError as exc:
        _fail(exc)
    _report_ingest(result, quiet)


@app.command()
def analyse(inputs: Inputs, target: TargetOpt, case: CaseOpt = None, fmt: FormatOpt = None,
            log_tz: LogTzOpt = None, log_format: LogFormatOpt = None, nginx_log_format: NginxFormatOpt = None,
            json_fields: JsonFieldsOpt = None, client_ip_from: ClientIpFromOpt = None,
            trusted_proxy: TrustedProxyOpt = None, internal: InternalOpt = None, size: SizeOpt = None,
            display_tz: DisplayTzOpt = None, json_out: JsonOpt = None, quiet: QuietOpt = False) -> None:
    """Ingest logs (into a temporary case unless --case) and answer: windows and downloads per target."""
    try:
        options = AnalysisOptions(internal=tuple(internal or ()), size=size, display_tz=display_tz).validated()
        ing = _ingest_options(fmt, log_tz, log_format, nginx_log_format, json_fields, client_ip_from,
                              trusted_proxy)
        with Case(case) as c:
            result = c.ingest(inputs, ing)
            answer = c.analyse(target, options, command=_command_line())
    except ExposureError as exc:
        _fail(exc)
    _report_ingest(result, quiet)
    if json_out:
        write_json(answer, json_out)
        if not quiet:
            err.print(f"wrote {json_out}", markup=False, highlight=False)
    else:
        print_answer(answer)


@app.command("formats")
def formats_cmd() -> None:
    """List the supported log formats with one example line each."""
    out = Console()
    for fmt in all_formats():
        out.print(f"[bold]{fmt.name}[/bold]  {fmt.description}", highlight=False)
        out.print(f"    {fmt.example}", markup=False, highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
