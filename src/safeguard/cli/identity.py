"""`safeguard identity …`: link person records into children with stable child references."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safeguard.cli._common import console, fail, open_platform

app = typer.Typer(
    help="Link agencies' person records into children with stable child references.",
    no_args_is_help=True,
)


@app.command("cluster")
def identity_cluster(
    input: Annotated[Path, typer.Option("--input", help="CSV or Parquet of person records.")],
    output: Annotated[Path, typer.Option("--output", help="Where to write record_id,child_ref.")],
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")] = "duckdb",
) -> None:
    """Give every record a child reference, training a model on the file itself (no labels)."""
    from safeguard.analytics.linkage_engine import EngineUnavailable
    from safeguard.identity.service import InputError, cluster_file
    from safeguard.progress import status_lines

    if engine not in ("duckdb", "spark"):
        raise fail(f"--engine must be duckdb or spark, not {engine!r}.")
    try:
        with status_lines(console, "linking records") as update:
            summary = cluster_file(
                input, output, "spark" if engine == "spark" else "duckdb", progress=update
            )
    except (InputError, EngineUnavailable) as exc:
        raise fail(str(exc)) from exc
    console.print(
        f"{summary.records:,} records → {summary.children:,} children "
        f"({summary.pairs:,} scored pairs); wrote {output}"
    )
    for note in summary.notes:
        console.print(f"  note: {note}", highlight=False)


@app.command("link")
def identity_link() -> None:
    """Re-link every person record in the store, keeping every existing reference."""
    from rich.table import Table

    from safeguard.identity.linking import IdentityError
    from safeguard.ingest.files import CLI_SUBMITTER
    from safeguard.progress import status_lines

    platform = open_platform()
    try:
        with status_lines(console, "linking records") as update:
            summary = platform.identity.link(CLI_SUBMITTER.operator(), progress=update)
    except IdentityError as exc:
        raise fail(str(exc)) from None
    table = Table("records", "references", "new", "merges", "splits", "to review", "model")
    table.add_row(*(f"{v:,}" for v in summary.__dict__.values()))
    console.print(table)


@app.command("review")
def identity_review() -> None:
    """List record pairs waiting for a reviewer (most likely first)."""
    from rich.table import Table

    from safeguard.ingest.files import CLI_SUBMITTER

    table = Table("record", "record", "probability", "weight")
    for item in open_platform().identity.review_queue(CLI_SUBMITTER.operator("mash")):
        table.add_row(
            item.record_id_l,
            item.record_id_r,
            f"{item.match_probability:.3f}",
            f"{item.match_weight:.2f}",
        )
    console.print(table)


@app.command("decide")
def identity_decide(
    left: Annotated[str, typer.Argument(help="A record id, AGENCY/local_id")],
    right: Annotated[str, typer.Argument(help="The other record id")],
    same: Annotated[bool, typer.Option("--same/--not-same", help="Same child or not")],
    reason: Annotated[str, typer.Option(help="Why (kept with the decision)")],
) -> None:
    """Record a reviewer's decision; every later re-link respects it."""
    from safeguard.identity.linking import IdentityError
    from safeguard.ingest.files import CLI_SUBMITTER

    try:
        open_platform().identity.record_decision(
            CLI_SUBMITTER.operator("mash"), left, right, "same" if same else "not_same", reason
        )
    except IdentityError as exc:
        raise fail(str(exc)) from None
    console.print("Recorded; it holds for every later `safeguard identity link`.")
