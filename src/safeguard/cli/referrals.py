"""`safeguard referrals …`: a referral's progress, recorded by Immigration Enforcement."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer

from safeguard.cli._common import console, fail, open_platform

if TYPE_CHECKING:
    from safeguard.domain.actors import User

app = typer.Typer(
    help="Immigration-enforcement referrals: progress and decisions.", no_args_is_help=True
)

As = Annotated[str, typer.Option("--as", help="Your user name (defaults to your login)")]


def _caseworker(name: str) -> User:
    from safeguard.domain.actors import User
    from safeguard.domain.codes import IMMIGRATION_ENFORCEMENT

    return User(
        name or f"cli:{getpass.getuser()}", IMMIGRATION_ENFORCEMENT, ("immigration_enforcement",)
    )


@app.command("show")
def show(referral_id: Annotated[int, typer.Argument(min=1)], as_: As = "") -> None:
    """A referral and every step of its progress (audited, as an Immigration Enforcement
    caseworker)."""
    from safeguard.crime.lifecycle import ReferralNotFound

    user = _caseworker(as_)
    try:
        p = open_platform().referrals.progress(user, referral_id)
    except ReferralNotFound as exc:
        raise fail(f"{exc}.") from None
    r = p.referral
    console.print(
        f"Referral {r['id']}: {r['status'].replace('_', ' ')} (suspect {r['suspect_local_id']} "
        f"of crime {r['crime_local_id']}, {r['agency_code']}, outcome {r['outcome']})."
    )
    for u in p.updates:
        console.print(f"  {u['updated_at']:%Y-%m-%d %H:%M} {u['status']}: {u['note']} "
                      f"({u['updated_by']})", highlight=False)  # fmt: skip
    if p.next_statuses:
        console.print(f"Next: {', '.join(p.next_statuses)}.")


@app.command("update")
def update(
    referral_id: Annotated[int, typer.Argument(min=1)],
    status: Annotated[str, typer.Argument(help="under_consideration, action_taken, …")],
    note: Annotated[str, typer.Option(help="Which action, or why none (required for those)")] = "",
    as_: As = "",
) -> None:
    """Move a referral on (Immigration Enforcement); a move the lifecycle forbids is refused."""
    from safeguard.crime.lifecycle import ReferralNotFound, ReferralUpdateError

    user = _caseworker(as_)
    try:
        p = open_platform().referrals.update(user, referral_id, status, note)
    except (ReferralNotFound, ReferralUpdateError) as exc:
        raise fail(f"{exc}.") from None
    console.print(f"Referral {referral_id} is now {p.referral['status'].replace('_', ' ')}.")
