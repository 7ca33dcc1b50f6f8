"""Accountability for support: per local authority, the child victims, the offers due, made on
time, late or never, their uptake and the median days from identification to first contact.

``classify`` is the one rule that says what became of an offer; the synthetic truth is checked
against it. Outside the MASH every count goes through the same disclosure control as the
published statistics (``crime.protected``): small cells and those that would reveal them are
withheld (None), and the rates are computed from published cells only.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

import pandas as pd

from safeguard.crime.protected import count_table, protect_tables
from safeguard.domain.clock import utc
from safeguard.domain.codes import CodeLists
from safeguard.domain.spreadsheet import csv_text
from safeguard.support.triggers import NOT_MADE

TIMELINESS = ("on_time", "late", "never_made", "pending")


def classify(offer: Any, now: datetime) -> str:
    """on_time / late (first contact after the deadline) / never_made (no contact, deadline
    passed) / pending (no contact yet, still in time)."""
    if offer.first_contact_at is None or offer.status in NOT_MADE:
        return "never_made" if utc(offer.due_at) < utc(now) else "pending"
    return "on_time" if utc(offer.first_contact_at) <= utc(offer.due_at) else "late"


@dataclass
class SupportRow:
    """One local authority; a count is None when withheld by disclosure control."""

    la_code: str
    victims: int | None = 0
    offers_due: int | None = 0
    on_time: int | None = 0
    late: int | None = 0
    never_made: int | None = 0
    pending: int | None = 0
    accepted: int | None = 0
    declined: int | None = 0
    uptake_percent: float | None = None
    median_days_to_contact: float | None = None
    protected: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def build(offers: Iterable[Any], now: datetime) -> list[SupportRow]:
    """Offers (rows of ``support_offers``) → one row per LA, in code order, unprotected."""
    rows: dict[str, SupportRow] = {}
    victims: dict[str, set[str]] = {}
    days: dict[str, list[float]] = {}
    for o in offers:
        r = rows.setdefault(o.la_code, SupportRow(o.la_code))
        victims.setdefault(o.la_code, set()).add(o.person_id)
        kind = classify(o, now)
        setattr(r, kind, getattr(r, kind) + 1)
        r.offers_due = (r.offers_due or 0) + 1
        if kind in ("on_time", "late"):
            r.accepted = (r.accepted or 0) + (o.accepted_at is not None)
            r.declined = (r.declined or 0) + (o.status == "declined")
            gap = utc(o.first_contact_at) - utc(o.identified_at)
            days.setdefault(o.la_code, []).append(max(gap.total_seconds(), 0) / 86400)
    for la, r in rows.items():
        r.victims = len(victims[la])
        made = (r.on_time or 0) + (r.late or 0)
        r.uptake_percent = round(100 * (r.accepted or 0) / made, 1) if made else None
        r.median_days_to_contact = round(statistics.median(days[la]), 1) if la in days else None
    return [rows[k] for k in sorted(rows)]


def protect(rows: list[SupportRow], threshold: int, codes: CodeLists) -> list[SupportRow]:
    """The rows as published outside the MASH: every count through primary and secondary
    suppression (the offers' timeliness and uptake one linked cube, victims another)."""
    if not rows:
        return []
    las = [r.la_code for r in rows]
    made = [(r.on_time or 0) + (r.late or 0) for r in rows]

    def frame(**columns: list[Any]) -> pd.DataFrame:
        return pd.DataFrame(columns, index=las)

    tables = [
        count_table(
            "victims", "Child victims", frame(victims=[r.victims for r in rows]),
            "support_victims", "la", None,
        ),
        count_table(
            "timeliness", "Offers",
            frame(made=made, never_made=[r.never_made for r in rows],
                  pending=[r.pending for r in rows]),
            "support_offers", "la", "state",
        ),
        count_table(
            "when", "Offers made",
            frame(on_time=[r.on_time for r in rows], late=[r.late for r in rows]),
            "support_offers", "la", "when", fixed={"state": "made"},
        ),
        count_table(
            "uptake", "Offers made",
            frame(accepted=[r.accepted for r in rows], declined=[r.declined for r in rows],
                  other=[m - (r.accepted or 0) - (r.declined or 0)
                         for m, r in zip(made, rows, strict=True)]),
            "support_offers", "la", "uptake", fixed={"state": "made"},
        ),
    ]  # fmt: skip
    cube = protect_tables(tables, codes, threshold)
    grids = {t.layout.name: t.layout.grid() for t in tables}
    out: list[SupportRow] = []
    for i, r in enumerate(rows):
        cell = {name: g[i] for name, g in grids.items()}
        pub = cube.published
        shown = SupportRow(
            r.la_code,
            victims=pub(cell["victims"][0]),
            offers_due=pub(cell["timeliness"][3]),
            on_time=pub(cell["when"][0]),
            late=pub(cell["when"][1]),
            never_made=pub(cell["timeliness"][1]),
            pending=pub(cell["timeliness"][2]),
            accepted=pub(cell["uptake"][0]),
            declined=pub(cell["uptake"][1]),
            protected=True,
        )
        made_shown = pub(cell["timeliness"][0])
        if made_shown and shown.accepted is not None:
            shown.uptake_percent = round(100 * shown.accepted / made_shown, 1)
        if made_shown is not None and made_shown >= threshold:
            shown.median_days_to_contact = r.median_days_to_contact
        out.append(shown)
    return out


def published(
    rows: list[SupportRow], threshold: int, codes: CodeLists, protected: bool, hub_la: str | None
) -> list[SupportRow]:
    """``rows`` as their audience may read them: in full inside the MASH (``protected`` False),
    else under disclosure control except the reading hub's own area (``hub_la``)."""
    if not protected:
        return rows
    shown = protect(rows, threshold, codes)
    return [raw if raw.la_code == hub_la else pub for raw, pub in zip(rows, shown, strict=True)]


HEADER = [f.name for f in fields(SupportRow)]


def to_csv(rows: list[SupportRow]) -> str:
    """Withheld cells are written ``[c]``, as in the published statistics."""
    return csv_text(HEADER, ([("[c]" if v is None and k not in ("uptake_percent",
                    "median_days_to_contact") else ("" if v is None else v))
                    for k, v in r.as_dict().items()] for r in rows))  # fmt: skip
