"""Commands that make, load and serve a region: version, synth, ingest, demo, agencies, serve."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safeguard.cli._common import console, err_console, fail, open_platform, store_reason


def register(app: typer.Typer) -> None:
    """These commands sit at the top level of `safeguard`."""
    for command in (version, synth, ingest, demo, agencies, serve):
        app.command()(command)


def version() -> None:
    """Print the installed safeguard version."""
    from safeguard import __version__

    console.print(__version__)


def synth(
    children: Annotated[int, typer.Option(help="How many children (0-17) to make")] = 10_000,
    seed: Annotated[int, typer.Option(help="Same seed, byte-identical output")] = 1,
    out: Annotated[Path, typer.Option(help="Folder to write the feeds to")] = Path("out/region"),
    las: Annotated[int | None, typer.Option(help="Use the first K areas (default all)")] = None,
    noise_scale: Annotated[
        float, typer.Option(help="Recording errors this many times as likely (1 = as documented)")
    ] = 1.0,
    partner_receipts: Annotated[
        bool,
        typer.Option(
            help="Partners record receiving each duty's share (agencies prompt, late "
            "or never sharing; truth/share_delays.csv)"
        ),
    ] = False,
) -> None:
    """Generate a synthetic region: one feed per agency plus a truth/ folder."""
    from safeguard.progress import progress_bar
    from safeguard.synth import SynthParams, generate_region
    from safeguard.synth.report import summary_table

    with progress_bar() as bar:
        task = bar.add_task("children", total=children)
        try:
            params = SynthParams(partner_receipts=partner_receipts).with_noise_scale(noise_scale)
            summary = generate_region(
                out, children, seed, las, params, progress=lambda n: bar.advance(task, n)
            )
        except (ValueError, OSError) as exc:
            raise fail(f"could not generate the region: {exc}.") from exc
    console.print(summary_table(summary))


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
    from rich.table import Table
    from sqlalchemy.exc import DBAPIError

    from safeguard.ingest.errors import SubmissionRejected
    from safeguard.ingest.files import ingest_jobs, submit_job
    from safeguard.progress import progress_bar

    platform = open_platform()
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
                result = submit_job(platform.ingest, job)
            except DBAPIError as exc:
                bar.stop()
                raise fail(
                    f"the store stopped answering while {job.path} was being ingested "
                    f"({store_reason(exc)}); what it was writing was rolled back, so send the "
                    "file again once the store is back (anything already stored is skipped)"
                ) from None
            except SubmissionRejected as exc:
                bar.stop()
                for error in exc.errors[:20]:
                    err_console.print(f"  {job.path}: {error.sentence()}")
                more = len(exc.errors) - 20
                if more > 0:
                    err_console.print(f"  … and {more} more")
                raise fail(
                    f"{job.path} was rejected with {len(exc.errors)} "
                    f"error{'s' if len(exc.errors) != 1 else ''}; nothing "
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


def demo(
    out: Annotated[Path, typer.Option(help="Where to write the region")] = Path("var/demo-region"),
    children: Annotated[
        int, typer.Option(help="Children in the demo region", min=100, max=200_000)
    ] = 8000,
) -> None:
    """Build a synthetic region, ingest it on the embedded store and print where to look."""
    from rich.table import Table

    from safeguard.demo import WHERE_TO_LOOK, run_demo

    platform = open_platform()
    with console.status("starting") as status:
        result = run_demo(platform, out, step=lambda text: status.update(text), children=children)
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
    console.print("Where to look (sign in as the user named):")
    for what, where, who in WHERE_TO_LOOK:
        console.print(f"  {what}: {where} as {who}", highlight=False, soft_wrap=True)


def agencies() -> None:
    """List the agency codes the platform knows."""
    from rich.table import Table

    from safeguard.domain.codes import load_code_lists

    table = Table("code", "kind", "name")
    for agency in load_code_lists().agencies.values():
        table.add_row(agency.code, agency.kind, agency.name)
    console.print(table)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
) -> None:
    """Serve the API, its docs (/docs) and the web pages."""
    import uvicorn

    from safeguard.api import create_app

    platform = open_platform()
    host = host or platform.settings.host
    port = port or platform.settings.port
    console.print(f"safeguard on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    proxies = platform.settings.trusted_proxies.strip()
    uvicorn.run(
        create_app(platform),
        host=host,
        port=port,
        log_level="warning",
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: any local client could
        # then choose the address the sign-in limit counts against. Only named proxies count.
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
    )
