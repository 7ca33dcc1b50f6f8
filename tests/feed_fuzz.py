"""Hypothesis strategies for agency feeds: valid files of every kind, near-valid mutations of
them (wrong codes, bad dates and NHS numbers, unicode, NULs, huge fields, BOMs, CRLF, ragged
rows, duplicated headers, invalid UTF-8) and structured garbage."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from safeguard.ingest.errors import RowError
from safeguard.synth.output import EVENT_COLUMNS, PERSON_COLUMNS

LA = "E08000018"
AGENCY_OF_KIND = {
    "police": "POLICE-E23000011",
    "csc": f"CSC-{LA}",
    "health": f"HEALTH-{LA}",
    "education": f"EDU-{LA}",
    "licensing": f"LIC-{LA}",
}


def person_rows() -> list[dict[str, str]]:
    """Three valid people every agency holds: a child victim, a second child and a suspect."""
    base = {
        "middle_name": "",
        "postcode": "S60 1AA",
        "address": "1 Mill Lane",
        "ethnicity_observed": "IC1",
        "immigration_status": "NS",
    }
    return [
        {**base, "local_id": "P1", "first_name": "Amelia", "surname": "Hartley",
         "dob": "2010-05-01", "sex": "F", "nhs_number": "9434765919", "ethnicity": "13",
         "nationality": "GBR"},
        {**base, "local_id": "P2", "first_name": "Bilal", "surname": "Hussain",
         "dob": "2009-11-20", "sex": "M", "nhs_number": "", "ethnicity": "A2",
         "nationality": "GBR;PAK", "postcode": "S65 2BB"},
        {**base, "local_id": "A1", "first_name": "Darren", "surname": "Cole",
         "dob": "1980-02-03", "sex": "M", "nhs_number": "", "ethnicity": "W1",
         "nationality": "GBR", "immigration_status": "british_citizen"},
    ]  # fmt: skip


#: One valid event of every type, with the kind of agency that may send it.
EVENTS: list[tuple[str, dict[str, str]]] = [
    ("police", {"event_type": "crime", "participants": "victim:P1;suspect:A1",
                "offence_code": "17B", "objects": "phone:07700900123",
                "details": '{"flags": ["CSE"], "outcome": "1"}'}),
    ("police", {"event_type": "missing_episode", "participants": "subject:P1"}),
    ("police", {"event_type": "found_in_vehicle", "participants": "subject:P2;associate:A1",
                "objects": "vehicle:AB12CDE", "place_type": "park"}),
    ("police", {"event_type": "online_report", "participants": "subject:P2",
                "objects": "online_account:snapchat/jaybee99"}),
    ("police", {"event_type": "vehicle_sighting", "participants": "associate:A1",
                "objects": "taxi_plate:RO123"}),
    ("csc", {"event_type": "missing_episode", "participants": "subject:P1"}),
    ("csc", {"event_type": "strategy_discussion", "participants": "subject:P1"}),
    ("csc", {"event_type": "section47_enquiry", "participants": "subject:P2"}),
    ("csc", {"event_type": "cp_plan", "participants": "subject:P1",
             "details": '{"category": "sexual_abuse"}'}),
    ("csc", {"event_type": "referral", "participants": "subject:P2",
             "details": '{"source": "school"}'}),
    ("education", {"event_type": "school_absence", "participants": "subject:P1"}),
    ("education", {"event_type": "exclusion", "participants": "subject:P2",
                   "details": '{"type": "suspension", "days": 2}'}),
    ("education", {"event_type": "behaviour_change", "participants": "subject:P1"}),
    ("health", {"event_type": "ae_attendance", "participants": "subject:P1"}),
    ("health", {"event_type": "sexual_health_attendance", "participants": "subject:P1"}),
    ("health", {"event_type": "pregnancy", "participants": "subject:P1"}),
    ("licensing", {"event_type": "licensing_decision", "participants": "subject:A1",
                   "details": '{"decision": "refused"}'}),
]  # fmt: skip


def event_rows(kind: str) -> list[dict[str, str]]:
    rows = []
    for number, (agency_kind, fields) in enumerate(EVENTS, start=1):
        if agency_kind == kind:
            row = dict.fromkeys(EVENT_COLUMNS, "")
            row.update(local_id=f"E{number}", occurred_at="2024-03-02", postcode="S60 1AA")
            rows.append({**row, **fields})
    return rows


@dataclass(frozen=True)
class Feed:
    """One file as an agency would send it."""

    agency: str
    kind: str
    fmt: str
    content: bytes

    @property
    def filename(self) -> str:
        return f"{self.kind}.{self.fmt}"


def render(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str], fmt: str) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(r) + "\n" for r in rows).encode()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def valid_persons(kind: str, fmt: str = "csv") -> Feed:
    return Feed(AGENCY_OF_KIND[kind], "persons", fmt, render(person_rows(), PERSON_COLUMNS, fmt))


# --- values that break things ----------------------------------------------------------------

NASTY_TEXT = [
    "", " ", "NS", "ZZZ", "W0", "IC0", "not-a-code", "2024-02-30", "2024-13-01", "31/12/2010",
    "9999-12-31", "1899-12-31", "0001-01-01T00:00:00+01:00", "2024-01-01T25:00", "1234567890",
    "943 476 5919", "94347659190000", "\x00", "Ann\x00e", "\ufeffAmelia", "Zoë", "Łukasz",
    "李小龍", "\u202eevil", "A" * 101, "A" * 5000, "x" * 300, "victim", "victim:", ":P1",
    "victim:P9", "boss:P1", "victim:P1;;", "phone:" + "7" * 250, "car:AB12", '{"a": 1',
    "[1, 2]", '{"flags": [["CSE"]]}', '{"outcome": []}', '{"category": ["sexual_abuse"]}',
    '{"flags": "CSE"}', '{"withheld": true}', "NaN", '"', '""', "a,b", "\r", "\n",
]  # fmt: skip

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(NASTY_TEXT),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["role", "local_id", "type", "value", "flags", "x"]), inner, max_size=3
        )
    ),  # fmt: skip
    max_leaves=8,
)
cell_text = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=30))


@st.composite
def near_valid_feeds(draw: st.DrawFn) -> Feed:
    """A valid file of some kind and format with one to three mutations."""
    kind = draw(st.sampled_from(sorted(AGENCY_OF_KIND)))
    fmt = draw(st.sampled_from(["csv", "jsonl"]))
    feed_kind = draw(st.sampled_from(["persons", "events"]))
    if feed_kind == "persons":
        rows: list[dict[str, Any]] = [dict(r) for r in person_rows()]
        columns = list(PERSON_COLUMNS)
    else:
        rows = [dict(r) for r in event_rows(kind)]
        columns = list(EVENT_COLUMNS)
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.sampled_from(rows))
        column = draw(st.sampled_from(columns))
        if fmt == "jsonl" and draw(st.booleans()):
            row[column] = draw(json_values)
        else:
            row[column] = draw(cell_text)
    if fmt == "jsonl" and draw(st.integers(0, 4)) == 0:
        rows[0]["participants"] = [{"role": "victim", "local_id": draw(cell_text)}]
        rows[0]["objects"] = [{"type": "phone", "value": draw(cell_text)}]
    try:
        content = render(rows, columns, fmt)
    except (UnicodeEncodeError, ValueError):
        content = render([{k: repr(v) for k, v in r.items()} for r in rows], columns, fmt)
    content = draw(byte_mutations(content, fmt))
    return Feed(AGENCY_OF_KIND[kind], feed_kind, fmt, content)


@st.composite
def byte_mutations(draw: st.DrawFn, content: bytes, fmt: str) -> bytes:
    """Damage at the level of the file's bytes (none, most of the time)."""
    lines = content.split(b"\n")
    choice = draw(st.integers(0, 12))
    if choice == 0:
        return b"\xef\xbb\xbf" + content  # a byte-order mark
    if choice == 1:
        return content.replace(b"\n", b"\r\n")
    if choice == 2 and len(lines) > 2:
        lines[1] = lines[1].rsplit(b",", 1)[0]  # a ragged row
        return b"\n".join(lines)
    if choice == 3 and fmt == "csv":
        column = lines[0].split(b",")[draw(st.integers(0, 3))]
        return lines[0] + b"," + column + b"\n" + b"\n".join(r + b",x" for r in lines[1:-1])
    if choice == 4:
        at = draw(st.integers(0, len(content)))
        return content[:at] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80"]))
    if choice == 5:
        return content[: draw(st.integers(0, len(content)))]  # truncated in transit
    if choice == 6:
        at = draw(st.integers(0, len(content)))
        return content[:at] + draw(st.sampled_from([b'"', b"\x00", b"\r", b",", b"}"]))
    if choice == 7:
        return content + b"\n" * draw(st.integers(1, 3)) + b",,,\n"
    return content


@st.composite
def garbage_feeds(draw: st.DrawFn) -> Feed:
    """Structured garbage: random bytes, or a known header over random cells or JSON."""
    kind = draw(st.sampled_from(sorted(AGENCY_OF_KIND)))
    fmt = draw(st.sampled_from(["csv", "jsonl"]))
    style = draw(st.integers(0, 2))
    if style == 0:
        content = draw(st.binary(max_size=300))
    elif style == 1 and fmt == "jsonl":
        values = draw(st.lists(json_values, max_size=4))
        content = "\n".join(json.dumps(v) for v in values).encode()
    else:
        columns = draw(
            st.lists(
                st.sampled_from([*PERSON_COLUMNS, *EVENT_COLUMNS, "", "x"]), min_size=1, max_size=8
            )  # fmt: skip
        )
        cells = draw(st.lists(st.lists(cell_text, min_size=len(columns), max_size=len(columns)),
                              max_size=4))  # fmt: skip
        content = render([dict(zip(columns, c, strict=False)) for c in cells],
                         list(dict.fromkeys(columns)), fmt)  # fmt: skip
    return Feed(AGENCY_OF_KIND[kind], draw(st.sampled_from(["persons", "events"])), fmt, content)


any_feed = st.one_of(near_valid_feeds(), garbage_feeds())


def assert_clear(errors: list[RowError]) -> None:
    """Every error names a place (row, field) and says what is wrong in words."""
    assert errors, "a rejection must carry at least one error"
    for error in errors:
        assert isinstance(error.row, int) and error.row >= 0, error
        assert error.field.strip(), error
        assert len(error.message) > 8, error
        sentence = error.sentence()
        assert ("row " in sentence or "header" in sentence) and "Traceback" not in sentence
