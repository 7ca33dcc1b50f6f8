"""The home page per role: what is waiting for this user, as counts with their deadlines.

Each figure comes from the service its own page calls (and is audited as that read is), so the
home page never shows more than the pages behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from safeguard.bootstrap import Platform
from safeguard.domain.actors import User
from safeguard.web.navigation import pages_for


@dataclass(frozen=True)
class Tile:
    """One page on the home page, with what waits there (if anything is counted)."""

    label: str
    href: str
    purpose: str
    count: int | None = None
    unit: str = ""
    warning: str = ""


def _waiting(platform: Platform, user: User, href: str) -> tuple[int, str, str] | None:
    """(count, unit, warning) for a page whose work can be counted, else None."""
    if href == "/risk/alerts":
        alerts = [a for a in platform.risk.alerts(user) if a.status != "decided"]
        now = platform.risk.clock()
        overdue = sum(1 for a in alerts if _aware(a.deadline_at) < now)
        return (
            len(alerts),
            "undecided alerts",
            f"{overdue:,} past their deadline" if overdue else "",
        )
    if href == "/sharing/inbox":
        items = platform.sharing.inbox(user)
        overdue = sum(1 for i in items if i.overdue)
        return len(items), "shares to acknowledge", f"{overdue:,} overdue" if overdue else ""
    if href == "/identity/review":
        return len(platform.identity.review_queue(user)), "pairs waiting for a decision", ""
    if href == "/licensing":
        today = datetime.now(UTC).date()
        checks = platform.licensing.checks(user.agency.removeprefix("LIC-"))
        done = sum(1 for c in checks if c["checked_at"].date() == today)
        undecided = sum(1 for c in checks if not c["decision"])
        return done, "checks today", f"{undecided:,} checks undecided" if undecided else ""
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def home_tiles(platform: Platform, user: User) -> list[Tile]:
    """A tile per page the user may use, with counts where the page's work can be counted."""
    tiles = []
    for page in pages_for(user):
        waiting = _waiting(platform, user, page.href)
        if waiting is None:
            tiles.append(Tile(page.label, page.href, page.purpose))
        else:
            tiles.append(Tile(page.label, page.href, page.purpose, *waiting))
    return tiles
