"""The `safeguard` command line: Typer + Rich, one module per capability (as `api/routes/`).

Each command is a few lines calling a service; heavy imports happen inside the commands, so
`safeguard --help` and `safeguard version` start in well under a second.
"""

from __future__ import annotations

import typer

from safeguard.cli import (
    audit,
    identity,
    licensing,
    network,
    referrals,
    region,
    research,
    risk,
    sharing,
    stats,
    store,
    support,
    users,
)
from safeguard.cli._common import err_console, store_reason

__all__ = ["app", "main"]

app = typer.Typer(
    name="safeguard",
    help="Multi-agency child-exploitation safeguarding data platform (synthetic data only).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
region.register(app)
store.register(app)
app.add_typer(identity.app, name="identity")
app.add_typer(users.app, name="users")
app.add_typer(stats.app, name="stats")
app.add_typer(referrals.app, name="referrals")
app.add_typer(network.app, name="network")
app.add_typer(sharing.app, name="sharing")
app.add_typer(audit.app, name="audit")
app.add_typer(licensing.app, name="licensing")
app.add_typer(risk.app, name="risk")
app.add_typer(research.app, name="research")
app.add_typer(support.app, name="support")


def main() -> None:
    """Entry point: any error nobody foresaw still ends in one sentence, not a traceback."""
    import logging
    import os

    if not os.environ.get("SAFEGUARD_DEBUG"):
        # psycopg logs a warning of its own when it tears down a COPY on a lost connection;
        # the command says what happened in one sentence, so keep the terminal to that.
        logging.getLogger("psycopg").setLevel(logging.ERROR)
    try:
        app()
    except Exception as exc:  # the last line of defence for a person at a terminal
        if os.environ.get("SAFEGUARD_DEBUG"):
            raise
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            err_console.print(
                f"[bold red]error:[/] the store failed ({store_reason(exc)}); the work in "
                "progress was rolled back. Try again once the store answers."
            )
        else:
            err_console.print(
                f"[bold red]error:[/] unexpected {type(exc).__name__}: {exc}. "
                "Run again with SAFEGUARD_DEBUG=1 to see where it happened."
            )
        raise SystemExit(1) from None
