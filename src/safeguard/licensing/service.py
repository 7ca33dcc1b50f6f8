"""``LicensingService``: what the CLI, the API and the pages call for licensing.

Register entries come from officers (``add_entry``, ``import_entries``) or from ingested
``licensing_decision`` events (``sync``); every check and every officer decision is audited.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from safeguard.domain.actors import Actor
from safeguard.domain.codes import CodeLists
from safeguard.domain.messages import MessageBus, NoticesRaised
from safeguard.licensing import dvla, oversight
from safeguard.licensing.check_reads import CheckReads
from safeguard.licensing.matching import Candidate, Identity, RegisterIndex
from safeguard.licensing.out_of_area import OutOfArea
from safeguard.licensing.register import DECISIONS, parse_entry
from safeguard.licensing.settings import LicensingSettings, load_licensing_settings
from safeguard.licensing.sweep import register_index
from safeguard.store.licensing_repository import as_date
from safeguard.store.uow import UnitOfWork

#: What an officer may record after a check.
OFFICER_DECISIONS = ("no_match", "enquiry_sent", "granted", "refused", "deferred")


class LicensingError(ValueError):
    """A request the service refuses, with a sentence saying why (and the field, if any)."""

    def __init__(self, message: str, errors: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)


@dataclass(frozen=True)
class CheckResult:
    check_id: int
    authority: str
    candidates: list[dict[str, Any]]


@dataclass(frozen=True)
class AuthorityCompliance:
    authority: str
    applications: int
    checked: int
    checks: int
    checks_with_matches: int
    decisions: dict[str, int]
    entries: int
    entries_on_time: int

    @property
    def share_checked(self) -> float | None:
        return self.checked / self.applications if self.applications else None

    @property
    def share_on_time(self) -> float | None:
        return self.entries_on_time / self.entries if self.entries else None


def _la(agency_or_la: str) -> str:
    return agency_or_la.removeprefix("LIC-")


class LicensingService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        clock: Callable[[], datetime],
        settings: LicensingSettings | None = None,
        bus: MessageBus | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.clock = clock
        self.settings = settings or load_licensing_settings()
        #: Publishes ``NoticesRaised`` after notices commit (the network drops its cache).
        self.bus = bus or MessageBus()
        self._lock = threading.Lock()
        self._index: tuple[date, RegisterIndex, dict[str, dict[str, Any]]] | None = None
        #: opening a check: role, authority and reason, all audited
        self.reads = CheckReads(uow_factory, self.get_check)

    # -- the register -----------------------------------------------------------------------

    def _entry_row(self, raw: dict[str, Any], actor: Actor, today: date) -> dict[str, Any]:
        entry, errors = parse_entry(raw, today)
        if entry is None:
            raise LicensingError("; ".join(m for _, m in errors), errors)
        if entry.authority not in {a.la_code for a in self.codes.areas}:
            raise LicensingError(f"authority {entry.authority!r} is not in data/areas.csv")
        row = {k: v for k, v in asdict(entry).items() if k not in ("entry_id", "source")}
        row["other_names"] = ";".join(entry.other_names)
        row["sex"] = str(raw.get("sex") or "").strip().upper() or None
        row["added_by"] = actor.name
        return row

    def add_entry(self, raw: dict[str, Any], actor: Actor) -> int:
        """Validate and add one entry (audited); raises ``LicensingError`` with the fields."""
        return self.import_entries([raw], actor)[0]

    def import_entries(self, rows: Sequence[dict[str, Any]], actor: Actor) -> list[int]:
        """All rows or none: every row's problems are reported as ``row N: …``."""
        today = self.clock().date()
        good: list[dict[str, Any]] = []
        errors: list[tuple[str, str]] = []
        for n, raw in enumerate(rows, start=1):
            try:
                good.append(self._entry_row(raw, actor, today))
            except LicensingError as exc:
                errors.extend((f"row {n}: {f}", m) for f, m in exc.errors or [("", str(exc))])
        if errors:
            raise LicensingError("; ".join(f"{f}: {m}" for f, m in errors), errors)
        with self.uow_factory() as uow:
            ids = uow.licensing.add_entries(good)
            uow.audit.record(
                actor,
                reason="licensing register",
                action="licensing.register.add",
                subject=f"entries:{len(ids)}",
                outcome="ok",
                detail={"entries": ids, "authorities": sorted({g["authority"] for g in good})},
            )
            new = self._sweep(uow, actor, set(ids))
        self._index = None
        self._notify(new)
        return ids

    def sync(self, actor: Actor) -> int:
        """Add an entry for every ingested refusal, suspension or revocation not yet added;
        each new entry is swept against every current licence."""
        with self.uow_factory() as uow:
            done = uow.licensing.synced_event_ids()
            rows = []
            for ev in uow.licensing.decision_events():
                d = ev["details"]
                if ev["id"] in done or d.get("decision") not in DECISIONS:
                    continue
                licence = d.get("driving_licence")
                if licence and dvla.problems(licence):
                    licence = None  # a malformed number is not evidence; names and dob remain
                rows.append(
                    {
                        "authority": _la(ev["agency_code"]),
                        "decision": d["decision"],
                        "decided_on": as_date(ev["occurred_at"]),
                        "reason": d.get("reason_category") or "not_stated",
                        "first_name": ev["first_name"],
                        "middle_name": ev["middle_name"],
                        "surname": ev["surname"],
                        "other_names": "",
                        "dob": as_date(ev["dob"]),
                        "sex": ev["sex"],
                        "postcode": ev["postcode"],
                        "address": ev["address"],
                        "driving_licence": licence,
                        "licence_type": d.get("licence_type"),
                        "added_on": as_date(ev["received_at"]),
                        "added_by": ev["agency_code"],
                        "source_event_id": ev["id"],
                    }
                )
            ids = uow.licensing.add_entries(rows)
            uow.audit.record(
                actor,
                reason="licensing register",
                action="licensing.register.sync",
                subject=f"entries:{len(rows)}",
                outcome="ok",
                detail={"added": len(rows)},
            )
            new = self._sweep(uow, actor, set(ids)) if ids else []
        self._index = None
        self._notify(new)
        return len(rows)

    def _live_index(self) -> tuple[RegisterIndex, dict[str, dict[str, Any]]]:
        today = self.clock().date()
        with self._lock:
            if self._index is None or self._index[0] != today:
                with self.uow_factory() as uow:
                    rows = uow.licensing.entries()
                years = self.settings.retention_years
                live = {str(r["id"]): r for r in rows if parse_live(r["decided_on"], today, years)}
                index = register_index(live.values(), self.settings.match)
                self._index = (today, index, live)
            return self._index[1], self._index[2]

    def entries(self, authority: str | None = None) -> list[dict[str, Any]]:
        today, years = self.clock().date(), self.settings.retention_years
        with self.uow_factory() as uow:
            rows = uow.licensing.entries(_la(authority) if authority else None)
        for r in rows:
            r["live"] = parse_live(r["decided_on"], today, years)
        return rows

    # -- checks -----------------------------------------------------------------------------

    def check(self, applicant: dict[str, Any], actor: Actor) -> CheckResult:
        """Match an applicant against the live register; the check is stored and audited."""
        errors: list[tuple[str, str]] = []
        for name in ("first_name", "surname", "dob"):
            if not str(applicant.get(name) or "").strip():
                errors.append((name, f"{name} is required"))
        try:
            dob = date.fromisoformat(str(applicant.get("dob") or "").strip())
        except ValueError:
            if not errors:
                errors.append(("dob", f"dob {applicant.get('dob')!r} is not YYYY-MM-DD"))
        licence = str(applicant.get("driving_licence") or "").strip() or None
        if licence:
            errors.extend(("driving_licence", p) for p in dvla.problems(licence))
            licence = dvla.normalise(licence)
        if errors:
            raise LicensingError("; ".join(m for _, m in errors), errors)
        who = Identity(
            first_name=str(applicant["first_name"]),
            surname=str(applicant["surname"]),
            dob=dob,
            middle_name=applicant.get("middle_name") or None,
            postcode=applicant.get("postcode") or None,
            driving_licence=licence,
            sex=applicant.get("sex") or None,
        )
        index, live = self._live_index()
        found = [self._public(c, live[c.entry_id]) for c in index.check(who)]
        authority = _la(actor.agency)
        stored = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(who).items()}
        with self.uow_factory() as uow:
            check_id = uow.licensing.add_check(
                {
                    "authority": authority,
                    "checked_at": self.clock(),
                    "checked_by": actor.name,
                    "driving_licence": licence,
                    "applicant": json.dumps(stored),
                    "candidates": json.dumps(found, default=str),
                    "matches": len(found),
                }
            )
            uow.audit.record(
                actor,
                reason="licence application check",
                action="licensing.check",
                subject=f"licensing-check:{check_id}",
                outcome="ok",
                detail={"matches": [c["entry_id"] for c in found]},
            )
        return CheckResult(check_id, authority, found)

    @staticmethod
    def _public(c: Candidate, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "entry_id": c.entry_id,
            "score": c.score,
            "strength": c.strength,
            "authority": row["authority"],
            "decision": row["decision"],
            "decided_on": as_date(row["decided_on"]).isoformat(),
            "reason": row["reason"],
            "name": " ".join(filter(None, (row["first_name"], row["middle_name"], row["surname"]))),
            "dob": as_date(row["dob"]).isoformat(),
            "evidence": [asdict(e) for e in c.evidence],
        }

    def get_check(self, check_id: int) -> dict[str, Any]:
        with self.uow_factory() as uow:
            row = uow.licensing.check(check_id)
        if row is None:
            raise LookupError(f"there is no licensing check {check_id}")
        row["applicant"] = json.loads(row["applicant"])
        row["candidates"] = json.loads(row["candidates"])
        return row

    def decide(self, check_id: int, decision: str, note: str, actor: Actor) -> dict[str, Any]:
        """Record the officer's decision on a check (audited); only the checking authority."""
        if decision not in OFFICER_DECISIONS:
            raise LicensingError(
                f"decision {decision!r} must be one of {', '.join(OFFICER_DECISIONS)}",
                [("decision", "unknown decision")],
            )
        check = self.get_check(check_id)
        if check["authority"] != _la(actor.agency):
            why = "only the authority that made the check may decide on it"
            self.reads.audit(actor, "licence application decision", "licensing.decide",
                             f"licensing-check:{check_id}", "denied", why)  # fmt: skip
            raise PermissionError(why)
        with self.uow_factory() as uow:
            uow.licensing.decide(check_id, decision, note, actor.name, self.clock())
            uow.audit.record(
                actor,
                reason="licence application decision",
                action="licensing.decide",
                subject=f"licensing-check:{check_id}",
                outcome="ok",
                detail={"decision": decision, "note": note},
            )
        return self.get_check(check_id)

    def checks(self, authority: str | None = None) -> list[dict[str, Any]]:
        with self.uow_factory() as uow:
            return uow.licensing.checks(_la(authority) if authority else None)

    # -- oversight --------------------------------------------------------------------------

    def compliance(self) -> list[dict[str, Any]]:
        """Per authority: share of applications checked, matches, decisions, timely entries."""
        with self.uow_factory() as uow:
            return oversight.compliance(uow, self.settings)

    def out_of_area(self, area: str | None = None) -> list[OutOfArea]:
        """Plates repeatedly seen away from their licensing authority (optionally in ``area``)."""
        with self.uow_factory() as uow:
            found = oversight.out_of_area(uow, self.codes, self.settings)
        return [o for o in found if area is None or o.seen_in_la == area]

    def raise_notices(self, actor: Actor) -> int:
        """Notify licensing authorities of their drivers and plates in safeguarding events."""
        with self.uow_factory() as uow:
            new = oversight.raise_notices(uow, self.codes, self.clock())
            uow.audit.record(
                actor,
                reason="safeguarding link",
                action="licensing.notices.raise",
                subject=f"notices:{len(new)}",
                outcome="ok",
                detail={"agencies": sorted({n["agency_code"] for n in new})},
            )
        self._notify(new)
        return len(new)

    def sweep(self, actor: Actor) -> int:
        """Check every current licence against the whole register (the nightly sweep);
        returns the number of new notices (a re-run raises none)."""
        with self.uow_factory() as uow:
            new = self._sweep(uow, actor, None)
        self._notify(new)
        return len(new)

    def _sweep(self, uow: UnitOfWork, actor: Actor, entry_ids: set[int] | None) -> list[Any]:
        new = oversight.sweep_notices(uow, self.codes, self.settings, self.clock(), entry_ids)
        uow.audit.record(
            actor,
            reason="licensing register",
            action="licensing.sweep",
            subject=f"notices:{len(new)}",
            outcome="ok",
            detail={
                "entries": "all" if entry_ids is None else sorted(entry_ids),
                "notices": [(n["agency_code"], n["event_id"], n["subject"]) for n in new],
            },
        )
        return new

    def _notify(self, new: Sequence[Any]) -> None:
        if new:
            self.bus.publish(NoticesRaised(len(new)))

    def notices(self, agency: str | None = None) -> list[dict[str, Any]]:
        with self.uow_factory() as uow:
            return uow.licensing.notices(agency)


def parse_live(decided_on: Any, today: date, years: int) -> bool:
    d = as_date(decided_on)
    try:
        end = d.replace(year=d.year + years)
    except ValueError:
        end = d.replace(year=d.year + years, day=28)
    return d <= today < end


def utc_now() -> datetime:
    return datetime.now(UTC)
