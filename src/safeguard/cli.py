"""The `safeguard` command line: Typer + Rich. Each command is a few lines calling a service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from safeguard import __version__

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


identity_app = typer.Typer(
    help="Link agencies' person records into children with stable child references.",
    no_args_is_help=True,
)
app.add_typer(identity_app, name="identity")


@identity_app.command("cluster")
def identity_cluster(
    input: Annotated[Path, typer.Option("--input", help="CSV or Parquet of person records.")],
    output: Annotated[Path, typer.Option("--output", help="Where to write record_id,child_ref.")],
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")] = "duckdb",
) -> None:
    """Give every record a child reference, training a model on the file itself (no labels)."""
    from safeguard.analytics.linkage_engine import EngineUnavailable
    from safeguard.identity.service import InputError, cluster_file

    if engine not in ("duckdb", "spark"):
        raise fail(f"--engine must be duckdb or spark, not {engine!r}.")
    try:
        with console.status("linking records") as status:
            summary = cluster_file(
                input,
                output,
                "spark" if engine == "spark" else "duckdb",
                progress=lambda msg: status.update(msg),
            )
    except (InputError, EngineUnavailable) as exc:
        raise fail(str(exc)) from exc
    console.print(
        f"{summary['records']:,} records → {summary['children']:,} children "
        f"({summary['pairs']:,} scored pairs); wrote {output}"
    )
