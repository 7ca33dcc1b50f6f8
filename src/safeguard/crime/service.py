"""Crime services: derive flags and referrals, extract, and build the national statistics.

The CLI, the API and the pages call these; each returns plain data they render.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from safeguard.accounts.roles import REFERRAL_ROLES
from safeguard.analytics import AnalyticsDB
from safeguard.crime.derive import CrimeLinks, derive_group_flags
from safeguard.crime.divergence import DivergencePoint, count_by_la_year, divergence
from safeguard.crime.extract import CrimeExtract, build_extract
from safeguard.crime.referral import raise_referrals
from safeguard.crime.rules import CrimeRules
from safeguard.domain.actors import AccessDenied, Account, Actor, User
from safeguard.domain.codes import CodeLists
from safeguard.sharing.refusals import refuse
from safeguard.store.uow import UnitOfWork


@dataclass(frozen=True)
class RefreshResult:
    crimes: int
    group_based: int
    new_referrals: int


SYSTEM_ACTOR = Account("safeguard-stats", "statistician", "-")


class CrimeService:
    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], codes: CodeLists, rules: CrimeRules
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.rules = rules

    def refresh(self, actor: Actor = SYSTEM_ACTOR) -> RefreshResult:
        """Re-derive every crime's group-based flag and raise any referral the rule requires."""
        now = datetime.now(UTC)
        with self.uow_factory() as uow:
            rows = uow.crime.crime_participants()
            links = _links(rows)
            flags = derive_group_flags(
                links.values(), self.rules.episode_window_days, self.rules.min_suspects
            )
            uow.crime.replace_group_flags(
                [
                    {
                        "event_id": f.crime_id,
                        "group_based": f.group_based,
                        "reason": f.reason,
                        "suspects": f.suspects,
                        "window_days": self.rules.episode_window_days,
                        "derived_at": now,
                    }
                    for f in flags.values()
                ]
            )
            new = raise_referrals(uow, self.rules.referral, self.codes, actor, now)
        return RefreshResult(len(flags), sum(f.group_based for f in flags.values()), new)

    def referrals(self, user: User) -> list[dict[str, Any]]:
        """The referral officer's list (that role only); reading it is audited."""
        try:
            require_role(user, REFERRAL_ROLES, "immigration-enforcement referrals")
            agency = self.codes.agencies.get(user.agency)
            if user.role == "immigration_enforcement" and (
                agency is None or agency.kind != "immigration"
            ):
                raise AccessDenied("Immigration Enforcement caseworkers work at that agency only")
        except AccessDenied as exc:
            refuse(self.uow_factory, user, "crime.referral.list", "referrals", exc)
        with self.uow_factory() as uow:
            rows = uow.crime.list_referrals()
            uow.audit.record(
                user,
                reason="referral officer work list",
                action="crime.referral.list",
                subject="referrals",
                outcome="read",
                detail={"rows": len(rows)},
            )
        return rows

    def extract(self) -> CrimeExtract:
        with self.uow_factory() as uow:
            rows = uow.crime.crime_participants()
            flags = uow.crime.group_flags()
            forces = uow.crime.force_of_agency()
        return build_extract(rows, flags, forces, self.codes, self.rules)

    def plans_by_la_year(self) -> dict[tuple[str, int], int]:
        """Child-protection plans whose initial category is sexual abuse, per LA and year."""
        with self.uow_factory() as uow:
            plans = uow.crime.cp_plans()
        return count_by_la_year(
            (p["la_code"], p["occurred_at"].year)
            for p in plans
            if json.loads(p["details"] or "{}").get("category") == "sexual_abuse"
        )

    def analytics(self, extract: CrimeExtract | None = None) -> AnalyticsDB:
        """A DuckDB database holding the extract's three tables."""
        extract = extract or self.extract()
        db = AnalyticsDB()
        db.register("crimes", extract.crimes)
        db.register("typology", extract.typology)
        db.register("people", extract.people)
        return db

    def divergence(self, db: AnalyticsDB) -> list[DivergencePoint]:
        from safeguard.crime.national import crimes_against_children_by_la_year

        frame = crimes_against_children_by_la_year(db)
        crimes = {
            (str(la), int(year)): int(n) for la, year, n in frame.itertuples(index=False, name=None)
        }
        return divergence(crimes, self.plans_by_la_year(), self.rules.warning_z, self.rules.alarm_z)


def _links(rows: list[dict[str, Any]]) -> dict[int, CrimeLinks]:
    victims: dict[int, set[str]] = {}
    suspects: dict[int, set[str]] = {}
    when: dict[int, date] = {}
    for row in rows:
        cid = int(row["event_id"])
        when[cid] = row["occurred_at"].date()
        victims.setdefault(cid, set())
        suspects.setdefault(cid, set())
        if row["role"] == "victim":
            victims[cid].add(row["person_id"])
        elif row["role"] == "suspect":
            suspects[cid].add(row["person_id"])
    return {
        cid: CrimeLinks(cid, when[cid], frozenset(victims[cid]), frozenset(suspects[cid]))
        for cid in when
    }


def require_role(user: User, roles: frozenset[str], what: str) -> None:
    """Raise AccessDenied (one sentence) unless the user holds one of ``roles``."""
    if not user.has(*roles):
        raise AccessDenied(f"role {user.role} may not read {what}")
