"""The `safeguard` command line: Typer + Rich. Each command is a few lines calling a service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import OperationalError

from safeguard import __version__
from safeguard.accounts.service import AccountError
from safeguard.api import create_app
from safeguard.bootstrap import Platform, bootstrap
from safeguard.demo import run_demo
from safeguard.domain.codes import load_code_lists
from safeguard.ingest.errors import SubmissionRejected
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs
from safeguard.progress import progress_bar

app = typer.Typer(
    name="safeguard",
    help="Multi-agency child-exploitation safeguarding data platform (synthetic data only).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one readable sentence to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@app.command()
def version() -> None:
    """Print the installed safeguard version."""
    console.print(__version__)


@app.command()
def synth(
    children: Annotated[int, typer.Option(help="How many children (0-17) to make")] = 10_000,
    seed: Annotated[int, typer.Option(help="Same seed, byte-identical output")] = 1,
    out: Annotated[Path, typer.Option(help="Folder to write the feeds to")] = Path("out/region"),
    las: Annotated[int | None, typer.Option(help="Use the first K areas (default all)")] = None,
) -> None:
    """Generate a synthetic region: one feed per agency plus a truth/ folder."""
    from safeguard.synth import generate_region
    from safeguard.synth.report import summary_table

    with progress_bar() as bar:
        task = bar.add_task("children", total=children)
        try:
            summary = generate_region(
                out, children, seed, las, progress=lambda n: bar.advance(task, n)
            )
        except (ValueError, OSError) as exc:
            raise fail(f"could not generate the region: {exc}.") from exc
    console.print(summary_table(summary))


def _platform() -> Platform:
    try:
        return bootstrap()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise fail(f"configuration: {first.get('msg', exc)}") from None
    except OperationalError as exc:
        raise fail(f"cannot open the store: {str(exc.orig).strip()}") from None


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A CSV/JSONL file, or a folder of agency folders")],
    agency: Annotated[
        str | None, typer.Option(help="Submitting agency code (for one file)")
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help="persons or events (default: from header)")
    ] = None,
) -> None:
    """Ingest agency files: each accepted whole or rejected with row-level errors."""
    platform = _platform()
    try:
        jobs = ingest_jobs(path, agency, kind)
    except ValueError as exc:
        raise fail(str(exc)) from None
    table = Table("file", "agency", "kind", "rows", "new", "versions", "unchanged", "note")
    with progress_bar() as bar:
        task = bar.add_task("ingesting", total=len(jobs))
        for job in jobs:
            bar.update(task, description=f"{job.agency} {job.path.name}")
            try:
                result = platform.ingest.submit(
                    job.path.read_bytes(),
                    str(job.path),
                    job.agency,
                    CLI_SUBMITTER.for_agency(job.agency),
                    job.kind,
                )
            except SubmissionRejected as exc:
                bar.stop()
                for error in exc.errors[:20]:
                    err_console.print(f"  {job.path}: {error.sentence()}")
                more = len(exc.errors) - 20
                if more > 0:
                    err_console.print(f"  … and {more} more")
                raise fail(
                    f"{job.path} was rejected with {len(exc.errors)} errors; nothing "
                    "from it was written"
                ) from None
            table.add_row(
                job.path.name,
                result.agency,
                result.kind,
                str(result.rows),
                str(result.new_records),
                str(result.new_versions),
                str(result.unchanged),
                "already received" if result.duplicate else "",
            )
            bar.advance(task)
    console.print(table)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Where to write the region")] = Path("var/demo-region"),
) -> None:
    """Build a synthetic region, ingest it on the embedded store and print where to look."""
    platform = _platform()
    with console.status("starting") as status:
        result = run_demo(platform, out, step=lambda text: status.update(text))
    table = Table("what", "count", title="safeguard demo: synthetic region loaded")
    table.add_row("children generated", f"{result.region.children:,}")
    table.add_row("adults generated", f"{result.region.adults:,}")
    table.add_row("agency feeds ingested", f"{len(result.submissions):,}")
    for what, count in result.counts.items():
        table.add_row(f"{what} in the store", f"{count:,}")
    table.add_row("exploitation scenarios (truth)", f"{sum(result.region.scenarios.values()):,}")
    console.print(table)
    settings = platform.settings
    console.print(f"Store: {settings.database_url}   Region files: {out}")
    console.print(
        f"Next: [bold]safeguard serve[/] then open http://{settings.host}:{settings.port}/"
        " and sign in with a token below (API docs at /docs)."
    )
    for name, token in result.tokens.items():
        console.print(f"  {name}: {token}", highlight=False, soft_wrap=True)


users_app = typer.Typer(help="Manage users and their tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name")],
    agency: Annotated[str, typer.Option(help="Agency code, e.g. MASH-E08000018")],
    role: Annotated[list[str], typer.Option(help="Role (repeat for several)")],
) -> None:
    """Create a user and print their token once (only its hash is kept)."""
    platform = _platform()
    try:
        token = platform.accounts.add_user(name, agency, role)
    except AccountError as exc:
        raise fail(str(exc)) from None
    console.print(f"Token for {name} (shown once, keep it safe):")
    console.print(token, soft_wrap=True, highlight=False)


@users_app.command("revoke")
def users_revoke(name: Annotated[str, typer.Argument(help="User name")]) -> None:
    """Revoke a user's token at once."""
    try:
        _platform().accounts.revoke(name)
    except AccountError as exc:
        raise fail(str(exc)) from None
    console.print(f"Revoked {name}.")


stats_app = typer.Typer(help="National CSAE crime statistics.", no_args_is_help=True)
app.add_typer(stats_app, name="stats")


@stats_app.command("refresh")
def stats_refresh() -> None:
    """Re-derive group-based flags and raise the referrals the rule requires."""
    result = _platform().crime.refresh()
    console.print(
        f"{result.crimes:,} crimes, {result.group_based:,} group-based; "
        f"{result.new_referrals:,} new referrals."
    )


@stats_app.command("report")
def stats_report(
    year: Annotated[int, typer.Option(help="Calendar year of the return")],
    out: Annotated[Path, typer.Option(help="Folder for index.html, CSVs and the ODS workbook")],
) -> None:
    """Write the national return for a year (disclosure-controlled) as HTML, CSV and ODS."""
    from safeguard.crime.national_return import national_return_files

    platform = _platform()
    try:
        files = national_return_files(platform.crime, year, out)
    except OSError as exc:
        raise fail(f"could not write the report to {out}: {exc}") from None
    console.print(f"Wrote {len(files)} files; open {files[0]}")


@app.command()
def agencies() -> None:
    """List the agency codes the platform knows."""
    table = Table("code", "kind", "name")
    for agency in load_code_lists().agencies.values():
        table.add_row(agency.code, agency.kind, agency.name)
    console.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
) -> None:
    """Serve the API, its docs (/docs) and the web pages."""
    import uvicorn

    platform = _platform()
    host = host or platform.settings.host
    port = port or platform.settings.port
    console.print(f"safeguard on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(platform), host=host, port=port, log_level="warning")
