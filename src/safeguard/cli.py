"""The `safeguard` command line: Typer + Rich. Each command is a few lines calling a service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

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

    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("children", total=children)
        try:
            summary = generate_region(
                out, children, seed, las, progress=lambda n: bar.advance(task, n)
            )
        except (ValueError, OSError) as exc:
            raise fail(f"could not generate the region: {exc}.") from exc
    console.print(summary_table(summary))
