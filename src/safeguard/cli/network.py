"""`safeguard network …`: candidate offending groups and link-chart exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safeguard.cli._common import console, fail, open_platform

app = typer.Typer(help="Offender networks: candidate groups and exports.", no_args_is_help=True)


@app.command("groups")
def network_groups(
    reason: Annotated[str, typer.Option(help="Why you need this (audited)")] = "network analysis",
) -> None:
    """List candidate offending groups, most harmful first (people pseudonymised)."""
    from rich.table import Table

    from safeguard.network.service import cli_analyst

    overview = open_platform().network.overview(cli_analyst(), reason)
    table = Table(
        "group",
        "members",
        "victims",
        "evidence",
        "sexual-offence members",
        "harm",
        "top member",
        title=f"{len(overview['groups'])} candidate groups from {overview['events']:,} events",
    )
    for g in overview["groups"]:
        table.add_row(
            g["group_id"],
            str(g["members"]),
            str(g["victims"]),
            str(g["evidence_items"]),
            str(g["sexual_offence_members"]),
            f"{g['harm']:,.0f}",
            g["top_member"],
        )
    console.print(table)


@app.command("export")
def network_export(
    out: Annotated[Path, typer.Option(help="File to write")],
    group: Annotated[str | None, typer.Option(help="Group id, e.g. G1A2B3C4D")] = None,
    person: Annotated[str | None, typer.Option(help="Person pseudonym (P-…) or id")] = None,
    format: Annotated[str, typer.Option(help="graphml, or csv (a zip of nodes/edges)")] = "graphml",
) -> None:
    """Export a group's or a person's link chart for i2-style tools."""
    from safeguard.network.service import NetworkNotFound, cli_analyst

    if (group is None) == (person is None):
        raise fail("name exactly one of --group or --person")
    try:
        content = open_platform().network.export(
            cli_analyst(), format, group_id=group, person=person
        )
    except (NetworkNotFound, ValueError) as exc:
        raise fail(str(exc)) from None
    out.write_bytes(content)
    console.print(f"Wrote {out} ({len(content):,} bytes).")
