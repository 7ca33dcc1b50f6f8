"""The ingest service: validate a whole submission, then store new records and versions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from safeguard.crime.rules import load_crime_rules
from safeguard.crime.validation import check_court_outcomes, check_csae_crimes
from safeguard.domain.actors import Actor
from safeguard.domain.codes import CodeLists
from safeguard.domain.ids import time_ordered_ids
from safeguard.domain.messages import EventsWritten, MessageBus, PersonsAdded
from safeguard.domain.records import (
    IDENTIFYING_FIELDS,
    RECORDED_FIELDS,
    EventRecord,
    PersonRecord,
)
from safeguard.ingest.checking import RowChecker
from safeguard.ingest.collector import collector_paused
from safeguard.ingest.errors import RowError, SubmissionRejected
from safeguard.ingest.feeds import FileFormat, Kind, detect_format, detect_kind, parse_feed
from safeguard.ingest.validation import check_columns
from safeguard.store.uow import UnitOfWork

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SubmissionResult:
    """What a submission did. ``duplicate`` is True when the same bytes had been sent before."""

    submission_id: int
    agency: str
    kind: str
    filename: str
    rows: int
    new_records: int
    new_versions: int
    unchanged: int
    duplicate: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class IngestService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists,
        bus: MessageBus | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        #: Publishes ``EventsWritten`` inside an events submission's transaction (sharing, risk
        #: and support act on it there) and ``PersonsAdded`` after a persons submission commits
        #: (identity gives the records references at once).
        self.bus = bus or MessageBus()

    def submit(
        self,
        content: bytes,
        filename: str,
        agency: str,
        submitter: Actor,
        kind: Kind | None = None,
        fmt: FileFormat | None = None,
        progress: Progress | None = None,
        resolve_identity: bool = True,
    ) -> SubmissionResult:
        """Validate everything first; write all of it in one transaction or nothing at all."""
        with collector_paused():
            return self._submit(
                content, filename, agency, submitter, kind, fmt, progress, resolve_identity
            )

    def _submit(
        self,
        content: bytes,
        filename: str,
        agency: str,
        submitter: Actor,
        kind: Kind | None,
        fmt: FileFormat | None,
        progress: Progress | None,
        resolve_identity: bool,
    ) -> SubmissionResult:
        if agency not in self.codes.agencies:
            raise SubmissionRejected(
                [
                    RowError(
                        0,
                        "agency",
                        agency,
                        "is not a known agency code such as POLICE-E23000011 or CSC-E08000018",
                    )
                ],
                filename,
            )
        agency_kind = self.codes.agencies[agency].kind
        feed = parse_feed(content, fmt or detect_format(filename))
        kind = kind or detect_kind(feed.columns)
        errors = list(feed.errors) + (check_columns(feed.columns, kind) if feed.columns else [])
        if errors:
            raise SubmissionRejected(errors, filename)
        now = datetime.now(UTC)
        # Clean rows take the quick path; any row it declines gets the full validator, which
        # alone words errors (so a rejected file reports exactly what it always did).
        checker = RowChecker(kind, agency, agency_kind, self.codes, now, feed.storable)
        checked = checker(feed.rows)
        errors += checked.errors
        if progress:
            progress("validated", len(feed.rows), len(feed.rows))
        unique, hashes = _dedupe(checked.records, checked.hashes, errors)
        if errors:
            raise SubmissionRejected(errors, filename)
        digest = hashlib.sha256(f"{agency}\n{kind}\n".encode() + content).hexdigest()
        with self.uow_factory() as uow:
            # Concurrent submissions queue here: persons ones all together (a child's NHS
            # number may arrive from two agencies at once), events ones per agency.
            uow.lock("ingest:persons" if kind == "persons" else f"ingest:events:{agency}")
            existing = uow.submissions.find(agency, digest)
            if existing is not None:
                return SubmissionResult(
                    existing.id,
                    agency,
                    kind,
                    existing.filename,
                    existing.row_count,
                    0,
                    0,
                    existing.row_count,
                    True,
                )
            if kind == "persons":
                counts = _store_persons(uow, unique, hashes, agency, now)
            else:
                counts = _store_events(uow, unique, hashes, agency, errors, self.bus)
                # CSAE crimes (issue #7): victims' and suspects' protected fields are mandatory.
                _check_crimes(uow, unique, agency, self.codes, errors)
                if errors:
                    raise SubmissionRejected(errors, filename)
            new, versions, unchanged, write = counts
            submission_id = uow.submissions.add(
                agency_code=agency,
                kind=kind,
                content_hash=digest,
                filename=filename[:300],
                received_at=now,
                submitted_by=submitter.name,
                row_count=len(unique),
                new_records=new,
                new_versions=versions,
                unchanged=unchanged,
            )
            fresh_ids = write(submission_id)
            uow.audit.record(
                submitter,
                reason="agency submission",
                action=f"ingest.{kind}",
                subject=f"submission:{submission_id}",
                outcome="written",
                detail={
                    "rows": len(unique),
                    "new": new,
                    "versions": versions,
                    "unchanged": unchanged,
                    "file": filename,
                },
            )
        if progress:
            progress("stored", len(unique), len(unique))
        if fresh_ids and resolve_identity:
            self.bus.publish(PersonsAdded(submitter, agency, fresh_ids))
        return SubmissionResult(
            submission_id, agency, kind, filename, len(unique), new, versions, unchanged, False
        )


def _dedupe(
    records: list[tuple[int, Any]], digests: list[str], errors: list[RowError]
) -> tuple[dict[str, tuple[int, Any]], dict[str, str]]:
    """One record per local id; the same id twice with different content is an error.
    ``digests`` are the records' content hashes, in the same order."""
    unique: dict[str, tuple[int, Any]] = {}
    hashes: dict[str, str] = {}
    for (number, rec), digest in zip(records, digests, strict=True):
        if rec.local_id in unique:
            if hashes[rec.local_id] != digest:
                first = unique[rec.local_id][0]
                errors.append(
                    RowError(
                        number,
                        "local_id",
                        rec.local_id,
                        f"also used on row {first} with different content; "
                        "one local id must describe one record",
                    )
                )
            continue
        unique[rec.local_id] = (number, rec)
        hashes[rec.local_id] = digest
    return unique, hashes


WriteStep = Callable[[int], list[str]]
Versioned = TypeVar("Versioned", PersonRecord, EventRecord)


def _classify(
    unique: dict[str, tuple[int, Versioned]], hashes: dict[str, str], current: dict[str, Any]
) -> tuple[list[Versioned], list[Versioned]]:
    """Split a submission into records never seen and records whose content changed."""
    fresh = [rec for lid, (_, rec) in unique.items() if lid not in current]
    changed = [
        rec
        for lid, (_, rec) in unique.items()
        if lid in current and current[lid].content_hash != hashes[lid]
    ]
    return fresh, changed


def _check_crimes(
    uow: UnitOfWork,
    unique: dict[str, tuple[int, EventRecord]],
    agency: str,
    codes: CodeLists,
    errors: list[RowError],
) -> None:
    """The crime capability's ingest rules, run once participants resolve to stored records."""
    check_court_outcomes(unique, errors)
    if not any(rec.event_type == "crime" for _, rec in unique.values()):
        return
    people = sorted({p.local_id for _, rec in unique.values() for p in rec.participants})
    fields = uow.crime.participant_fields(agency, people)
    check_csae_crimes(unique, fields, codes, load_crime_rules(), errors)


def _store_persons(
    uow: UnitOfWork,
    unique: dict[str, tuple[int, PersonRecord]],
    hashes: dict[str, str],
    agency: str,
    now: datetime,
) -> tuple[int, int, int, WriteStep]:
    current = uow.records.current_versions(agency, list(unique))
    fresh, changed = _classify(unique, hashes, current)
    nhs_people = uow.records.person_ids_by_nhs(
        sorted({r.nhs_number for r in fresh if r.nhs_number})
    )
    new_people: list[str] = []
    person_of: dict[str, str] = {}
    minted = iter(time_ordered_ids(len(fresh)))
    for rec in fresh:
        person = nhs_people.get(rec.nhs_number) if rec.nhs_number else None
        if person is None:
            person = next(minted)
            new_people.append(person)
            if rec.nhs_number:
                nhs_people[rec.nhs_number] = person
        person_of[rec.local_id] = person
    for rec in changed:
        person_of[rec.local_id] = current[rec.local_id].person_id

    def write(submission_id: int) -> list[str]:
        uow.persons.add_many(new_people, now)
        uow.records.retire([current[r.local_id].id for r in changed])
        rows = [
            (
                r.local_id,
                current[r.local_id].version + 1 if r.local_id in current else 1,
                hashes[r.local_id],
                person_of[r.local_id],
                r.first_name,
                r.middle_name,
                r.surname,
                r.dob,
                r.sex,
                r.postcode,
                r.address,
                r.nhs_number,
                r.ethnicity,
                r.ethnicity_observed,
                ";".join(r.nationality),
                r.immigration_status,
            )
            for r in [*fresh, *changed]
        ]
        constants = {"agency_code": agency, "is_current": True, "submission_id": submission_id}
        uow.records.insert_many(_RECORD_COLUMNS, rows, constants)
        return [r.local_id for r in fresh]

    unchanged = len(unique) - len(fresh) - len(changed)
    return len(fresh), len(changed), unchanged, write


_RECORD_COLUMNS = (
    "local_id",
    "version",
    "content_hash",
    "person_id",
    *IDENTIFYING_FIELDS,
    *RECORDED_FIELDS,
)
_EVENT_COLUMNS = (
    "local_id",
    "event_type",
    "version",
    "content_hash",
    "occurred_at",
    "postcode",
    "place_type",
    "offence_code",
    "details",
    "recorded_at",
)


def _store_events(
    uow: UnitOfWork,
    unique: dict[str, tuple[int, EventRecord]],
    hashes: dict[str, str],
    agency: str,
    errors: list[RowError],
    bus: MessageBus,
) -> tuple[int, int, int, WriteStep]:
    people = sorted({p.local_id for _, rec in unique.values() for p in rec.participants})
    facts = uow.records.participant_facts(agency, people)
    person_of = {local_id: fact[0] for local_id, fact in facts.items()}
    for number, rec in unique.values():
        for p in rec.participants:
            if p.local_id not in person_of:
                errors.append(
                    RowError(
                        number,
                        "participants",
                        p.local_id,
                        f"no person record {p.local_id!r} from {agency}; send "
                        "the persons file first",
                    )
                )
    current = uow.events.current_versions(agency, list(unique))
    fresh, changed = _classify(unique, hashes, current)

    def write(submission_id: int) -> list[str]:
        uow.events.retire([current[r.local_id].id for r in changed])
        todo = [*fresh, *changed]
        rows = [
            (
                r.local_id,
                r.event_type,
                current[r.local_id].version + 1 if r.local_id in current else 1,
                hashes[r.local_id],
                r.occurred_at,
                r.postcode,
                r.place_type,
                r.offence_code,
                json.dumps(r.details, sort_keys=True) if r.details else "{}",
                r.recorded_at,
            )
            for r in todo
        ]
        constants = {"agency_code": agency, "is_current": True, "submission_id": submission_id}
        ids = uow.events.insert_many(_EVENT_COLUMNS, rows, constants)
        uow.events.add_participants(
            [
                (eid, p.role, p.local_id, person_of[p.local_id])
                for eid, r in zip(ids, todo, strict=True)
                for p in r.participants
            ]
        )
        uow.events.add_objects(
            [(eid, o.type, o.value) for eid, r in zip(ids, todo, strict=True) for o in r.objects]
        )
        # Shares, alerts and support offers these events trigger, in this same transaction.
        revised = {r.local_id for r in changed}
        bus.publish(EventsWritten(uow, agency, list(zip(ids, todo, strict=True)), revised, facts))
        return []

    unchanged = len(unique) - len(fresh) - len(changed)
    return len(fresh), len(changed), unchanged, write
