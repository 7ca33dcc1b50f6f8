"""`safeguard stats …`: the national CSAE crime return."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safeguard.cli._common import console, fail, open_platform

app = typer.Typer(help="National CSAE crime statistics.", no_args_is_help=True)


@app.command("refresh")
def stats_refresh() -> None:
    """Re-derive group-based flags and raise the referrals the rule requires."""
    result = open_platform().crime.refresh()
    console.print(
        f"{result.crimes:,} crimes, {result.group_based:,} group-based; "
        f"{result.new_referrals:,} new referrals."
    )


@app.command("report")
def stats_report(
    year: Annotated[int, typer.Option(help="Calendar year of the return")],
    out: Annotated[Path, typer.Option(help="Folder for index.html, CSVs and the ODS workbook")],
) -> None:
    """Write the national return for a year (disclosure-controlled) as HTML, CSV and ODS."""
    from safeguard.crime.national_return import national_return_files

    platform = open_platform()
    try:
        files = national_return_files(platform.crime, year, out)
    except OSError as exc:
        raise fail(f"could not write the report to {out}: {exc}") from None
    console.print(f"Wrote {len(files)} files; open {files[0]}")
