"""Streamed CSV output: one persons and one events file per agency, and the truth folder.

Files are opened on first use and written row by row through large buffers, so memory stays
flat however many children are generated. Output is plain UTF-8 with ``\\n`` line ends, so the
same seed gives byte-identical files on any machine.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any

from safeguard.domain.records import PERSON_FEED_COLUMNS

PERSON_COLUMNS = PERSON_FEED_COLUMNS
EVENT_COLUMNS = (
    "local_id",
    "event_type",
    "occurred_at",
    "participants",
    "objects",
    "postcode",
    "place_type",
    "offence_code",
    "details",
    "recorded_at",
)
TRUTH_COLUMNS: dict[str, tuple[str, ...]] = {
    "record_person": ("agency", "local_id", "person_id"),
    "persons": (
        "person_id",
        "kind",
        "roles",
        "first_name",
        "middle_name",
        "surname",
        "dob",
        "sex",
        "la_code",
        "postcode",
        "ethnicity_ons2021",
        "nationality",
        "household_id",
        "twin_of",
        "namesake_of",
        "nhs_number",
    ),
    "noise": ("agency", "local_id", "person_id", "noise", "field", "true_value", "recorded_value"),
    "share_delays": (
        "agency",
        "local_id",
        "obligation",
        "partner",
        "profile",
        "recorded_at",
        "received_at",
        "delay_hours",
    ),
    "exploited_children": (
        "person_id",
        "scenario_type",
        "scenario_id",
        "exploitation_start",
        "first_sign_date",
    ),
    "groups": ("group_id", "scenario_type", "scenario_id", "person_id", "role"),
    "licence_loopholes": (
        "person_id",
        "entry_agency",
        "entry_decision",
        "entry_on",
        "granted_agency",
        "granted_on",
        "dvla_on_entry",
    ),
    "out_of_area_offenders": ("person_id", "plate", "licensing_la", "offending_la", "scenario_id"),
    "support_offers": (
        "person_id",
        "la_code",
        "agency",
        "local_id",
        "trigger_local_id",
        "service",
        "situation",
        "identified_at",
        "due_at",
        "fate",
        "first_contact_at",
        "outcome",
    ),
    "licences": (
        "person_id",
        "licensing_la",
        "home_la",
        "licence_type",
        "licence_number",
        "plate",
        "vehicle",
        "driving_licence",
        "out_of_area",
        "scenario_id",
    ),
    "scenarios": (
        "scenario_id",
        "scenario_type",
        "group_id",
        "la_codes",
        "start_date",
        "victims",
        "offenders",
        "description",
    ),
    "event_scenario": ("agency", "local_id", "scenario_id", "person_id"),
}
_BUFFER = 1 << 20


def details_json(details: dict[str, Any]) -> str:
    """The ``details`` cell: compact JSON with sorted keys, so bytes never vary."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"))


class FeedWriter:
    """Owns every open output file of one generation run."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self.rows: dict[str, int] = {}

    def _writer(self, rel: str, header: tuple[str, ...]) -> Any:
        w = self._writers.get(rel)
        if w is None:
            path = self.out_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            f = open(path, "w", encoding="utf-8", newline="", buffering=_BUFFER)  # noqa: SIM115
            self._files[rel] = f
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            self._writers[rel] = w
            self.rows[rel] = 0
        return w

    def person(self, agency: str, row: list[str]) -> None:
        rel = f"{agency}/persons.csv"
        self._writer(rel, PERSON_COLUMNS).writerow(row)
        self.rows[rel] += 1

    def event(self, agency: str, row: list[str]) -> None:
        rel = f"{agency}/events.csv"
        self._writer(rel, EVENT_COLUMNS).writerow(row)
        self.rows[rel] += 1

    def truth(self, name: str, row: list[str]) -> None:
        rel = f"truth/{name}.csv"
        self._writer(rel, TRUTH_COLUMNS[name]).writerow(row)
        self.rows[rel] += 1

    def ensure_headers(self, agencies: list[str]) -> None:
        """Every agency gets both files and every truth file exists, even when empty."""
        for agency in agencies:
            self._writer(f"{agency}/persons.csv", PERSON_COLUMNS)
            self._writer(f"{agency}/events.csv", EVENT_COLUMNS)
        for name, cols in TRUTH_COLUMNS.items():
            self._writer(f"truth/{name}.csv", cols)

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()
        self._writers.clear()
