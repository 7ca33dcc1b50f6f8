"""The statistician's overview: completeness and divergence (the /stats page and its JSON)."""

from __future__ import annotations

from safeguard.accounts.roles import STATS_ROLES
from safeguard.crime import national as q
from safeguard.crime.census import load_census
from safeguard.crime.errors import NoDataError
from safeguard.crime.report import NationalReturn, build_national_return
from safeguard.crime.service import CrimeService, require_role
from safeguard.domain.actors import User

OVERVIEW_TABLES = (
    "completeness_by_force",
    "completeness_by_la",
    "completeness_over_time",
    "divergence",
)


def stats_overview(crime: CrimeService, user: User, year: int | None = None) -> NationalReturn:
    """The latest (or given) year's return, for users with a statistics role.

    Uses the group-based flags as last derived (``safeguard stats refresh``); completeness
    and divergence do not depend on them.
    """
    require_role(user, STATS_ROLES, "national statistics")
    with crime.analytics() as db:
        known = q.years(db)
        if year is None and not known:
            raise NoDataError("there are no CSAE crimes recorded yet, so there are no statistics")
        year = year or known[-1]
        return build_national_return(
            db, year, crime.codes, crime.rules, load_census(), crime.divergence(db)
        )
