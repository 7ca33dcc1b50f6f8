"""The `safeguard` command line: Typer + Rich. Each command is a few lines calling a service."""

from __future__ import annotations

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
