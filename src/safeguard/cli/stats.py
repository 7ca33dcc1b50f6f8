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
    """Write the national return for a year (disclosure-controlled) as HTML, CSV and ODS.

    The return is audited (`stats audit`) before it is written; one that fails is refused."""
    from safeguard.crime.errors import NoDataError
    from safeguard.crime.national_return import DisclosureRisk, national_return_files

    platform = open_platform()
    try:
        files = national_return_files(platform.crime, year, out)
    except NoDataError as exc:
        raise fail(str(exc)) from None
    except DisclosureRisk as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"could not write the report to {out}: {exc}") from None
    console.print(f"Wrote {len(files)} files; open {files[0]}")
    console.print("Audit: no withheld figure can be narrowed below its protection interval.")


@app.command("audit")
def stats_audit(
    folder: Annotated[Path, typer.Argument(help="A return's folder (manifest.json and CSVs)")],
) -> None:
    """Attack a written return: solve for the tightest interval of every withheld figure
    from everything it publishes; exit 1 if any is narrowed inside [0, threshold]."""
    from safeguard.crime.audit import MANIFEST, audit_return

    if not (folder / MANIFEST).is_file():
        raise fail(f"{folder} holds no {MANIFEST}: give the folder `stats report --out` wrote")
    try:
        result = audit_return(folder)
    except (KeyError, ValueError) as exc:
        raise fail(f"could not read the return in {folder}: {exc}") from None
    for finding in result.findings:
        console.print(f"FAIL {finding.sentence(result.threshold)}")
    if not result.ok:
        raise fail(f"{len(result.findings)} of {result.checked} withheld figures narrowed")
    console.print(
        f"OK: {result.checked} withheld figures, none narrowed inside [0, {result.threshold}]."
    )
