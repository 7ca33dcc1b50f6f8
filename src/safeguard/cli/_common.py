"""What every command module shares: the consoles, one-sentence failures, the platform and
argument checks against the code lists.

Heavy modules (SQLAlchemy, pydantic, the app) are imported inside the functions that need them,
so `safeguard --help` and `safeguard version` start without loading the platform.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

    from safeguard.bootstrap import Platform

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one readable sentence to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


def store_reason(exc: DBAPIError) -> str:
    """The database's own first line, without SQLAlchemy's SQL dump and links."""
    lines = [ln.strip() for ln in str(exc.orig).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc.orig).__name__


def open_platform() -> Platform:
    """The platform from the environment's settings, or one sentence saying why not."""
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError

    from safeguard.bootstrap import bootstrap

    try:
        return bootstrap()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise fail(f"configuration: {first.get('msg', exc)}") from None
    except OperationalError as exc:
        raise fail(f"cannot open the store: {str(exc.orig).strip()}") from None


def day(value: str | None, option: str) -> datetime | None:
    """A YYYY-MM-DD option as midnight UTC, or a failure naming the option."""
    if value is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(), UTC)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


def known_la(value: str | None, option: str) -> str | None:
    """An ONS local authority code the code lists name, or a failure listing the known ones."""
    if value is None or value == "":
        return value
    from safeguard.domain.codes import load_code_lists

    areas = {a.la_code: a.la_name for a in load_code_lists().areas}
    if value not in areas:
        known = ", ".join(f"{code} ({name})" for code, name in sorted(areas.items()))
        raise fail(f"{option} {value!r} is not a local authority this platform knows: {known}")
    return value
