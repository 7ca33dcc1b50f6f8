"""`safeguard users …`: users, their roles and their tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from safeguard.cli._common import console, fail, open_platform


def _roles_help() -> str:
    from safeguard.accounts.roles import ROLES

    return "Role, repeat for several: " + "; ".join(f"{r} ({d})" for r, d in ROLES.items())


app = typer.Typer(help="Manage users and their tokens.", no_args_is_help=True)


@app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name")],
    agency: Annotated[str, typer.Option(help="Agency code, e.g. MASH-E08000018")],
    role: Annotated[list[str], typer.Option(help=_roles_help())],
) -> None:
    """Create a user and print their token once (only its hash is kept)."""
    from safeguard.accounts.service import AccountError

    platform = open_platform()
    try:
        token = platform.accounts.add_user(name, agency, role)
    except AccountError as exc:
        raise fail(str(exc)) from None
    console.print(f"Token for {name} (shown once, keep it safe):")
    console.print(token, soft_wrap=True, highlight=False)


@app.command("rotate")
def users_rotate(name: Annotated[str, typer.Argument(help="User name")]) -> None:
    """Issue a new token for a user; the old one stops working at once."""
    from safeguard.accounts.service import AccountError

    try:
        token = open_platform().accounts.issue_token(name)
    except AccountError as exc:
        raise fail(str(exc)) from None
    console.print(f"New token for {name} (shown once; the old token no longer works):")
    console.print(token, soft_wrap=True, highlight=False)


@app.command("revoke")
def users_revoke(name: Annotated[str, typer.Argument(help="User name")]) -> None:
    """Revoke a user's token at once."""
    from safeguard.accounts.service import AccountError

    try:
        open_platform().accounts.revoke(name)
    except AccountError as exc:
        raise fail(str(exc)) from None
    console.print(f"Revoked {name}.")
