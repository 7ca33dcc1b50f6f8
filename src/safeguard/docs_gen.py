"""Reference docs generated from the code itself, so they cannot drift: the CLI (from --help)
and the settings (from the Settings model). `scripts/gen-docs` writes them; a test compares."""

from __future__ import annotations

from typing import Any

from typer.main import get_command
from typer.testing import CliRunner

from safeguard.config import Settings


def cli_reference() -> str:
    """Markdown for every command, as Typer's own `utils docs` renders it."""
    from typer.cli import app as typer_cli

    result = CliRunner().invoke(
        typer_cli, ["safeguard.cli", "utils", "docs", "--name", "safeguard"], catch_exceptions=False
    )
    if result.exit_code != 0:
        raise RuntimeError(f"typer utils docs failed: {result.output}")
    return result.stdout


def settings_reference() -> str:
    """Markdown table of every SAFEGUARD_* variable with its default and meaning."""
    lines = [
        "# Settings",
        "",
        "Every setting is an environment variable (or a line in `.env`). Generated from",
        "`safeguard.config.Settings` by `scripts/gen-docs`; a test fails when this file is stale.",
        "",
        "| variable | default | meaning |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "(development value)" if name == "secret_key" else f"`{default}`"
        lines.append(f"| `SAFEGUARD_{name.upper()}` | {shown} | {field.description or ''} |")
    return "\n".join(lines) + "\n"


def command_names() -> list[str]:
    """Every command path, e.g. ``users add``, for completeness checks."""
    root = get_command(__import__("safeguard.cli", fromlist=["app"]).app)
    names: list[str] = []

    def walk(command: Any, prefix: str) -> None:
        if hasattr(command, "commands"):
            for sub_name, sub in command.commands.items():
                walk(sub, f"{prefix} {sub_name}".strip())
        else:
            names.append(prefix)

    walk(root, "")
    return names
