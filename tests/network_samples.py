"""A small hand-made network: two rings, a weak bridge between them, a pair and a loner."""

from __future__ import annotations

from typing import Any

from safeguard.network.graph import EventBatch

# (event_id, occurred_at, event_type, offence_code, postcode, place_type)
EVENTS: list[tuple[Any, ...]] = [
    (1, "2024-01-10", "crime", "71", "S60 1AA", "takeaway"),
    (2, "2024-02-10", "crime", "19D", "S60 1AA", "takeaway"),
    (3, "2024-03-01", "found_in_vehicle", "", "S60 2BB", "other"),
    (4, "2024-03-05", "vehicle_sighting", "", "S61 9ZZ", "taxi_rank"),
    (11, "2024-01-15", "crime", "71", "LS1 1AA", "hotel"),
    (12, "2024-02-20", "crime", "22B", "LS1 1AA", "hotel"),
    (13, "2024-03-03", "crime", "19E", "LS2 2BB", "other"),
    # the weak bridge: a3 and b1 seen at the same park (location only) ...
    (20, "2024-04-01", "found_in_vehicle", "", "S70 7PP", "park"),
    (21, "2024-04-02", "found_in_vehicle", "", "S70 7PP", "park"),
    # ... and a1 and b2 once named with the same phone
    (22, "2024-04-10", "online_report", "", "", "online"),
    (23, "2024-04-11", "online_report", "", "", "online"),
    # a pair sharing one phone only, and an online offender on his own
    (30, "2024-05-01", "online_report", "", "", "online"),
    (31, "2024-05-02", "online_report", "", "", "online"),
    (40, "2024-06-01", "crime", "88A", "", "online"),
    # everyday events without offenders
    (50, "2024-01-03", "missing_episode", "", "S60 1AA", ""),
    (51, "2024-01-04", "referral", "", "", ""),
]
# (event_id, person_id, role)
PARTICIPANTS: list[tuple[Any, ...]] = [
    (1, "v1", "victim"),
    (1, "a1", "suspect"),
    (1, "a2", "suspect"),
    (2, "v2", "victim"),
    (2, "a2", "suspect"),
    (2, "a3", "suspect"),
    (3, "v1", "subject"),
    (3, "a3", "associate"),
    (4, "a1", "subject"),
    (11, "v3", "victim"),
    (11, "b1", "suspect"),
    (11, "b2", "suspect"),
    (12, "v4", "victim"),
    (12, "b2", "suspect"),
    (12, "b3", "suspect"),
    (13, "v3", "victim"),
    (13, "b1", "suspect"),
    (13, "b3", "suspect"),
    (20, "v5", "subject"),
    (20, "a3", "associate"),
    (21, "v6", "subject"),
    (21, "b1", "associate"),
    (22, "v7", "victim"),
    (22, "a1", "associate"),
    (23, "v8", "victim"),
    (23, "b2", "associate"),
    (30, "v9", "victim"),
    (30, "c1", "associate"),
    (31, "v10", "victim"),
    (31, "c2", "associate"),
    (40, "v11", "victim"),
    (40, "o1", "suspect"),
    (50, "v1", "subject"),
    (51, "v2", "subject"),
]
# (event_id, object_type, value)
OBJECTS: list[tuple[Any, ...]] = [
    (3, "vehicle", "AB12CDE"),
    (4, "vehicle", "AB12CDE"),
    (4, "taxi_plate", "PHV123"),
    (22, "phone", "07700900001"),
    (23, "phone", "07700900001"),
    (30, "phone", "07700900555"),
    (31, "phone", "07700900555"),
    (40, "online_account", "snapchat/x"),
]

RING_A = {"a1", "a2", "a3"}
RING_B = {"b1", "b2", "b3"}


def batch(
    events: list[tuple[Any, ...]] = EVENTS,
    participants: list[tuple[Any, ...]] = PARTICIPANTS,
    objects: list[tuple[Any, ...]] = OBJECTS,
) -> EventBatch:
    return EventBatch.from_rows(events, participants, objects)


def feeds(event_ids: set[int] | None = None) -> tuple[bytes, bytes]:
    """The sample as one police force's person and event files (every person a nominal)."""
    from tests.samples import events_csv, persons_csv

    people = sorted({p for _, p, _ in PARTICIPANTS})
    persons = persons_csv(
        *[
            {
                "local_id": p,
                "first_name": f"Name{p.upper()}",
                "surname": f"Surname{p.upper()}",
                "nhs_number": "",
                "dob": "1980-01-01" if p[0] != "v" else "2009-01-01",
                # CSAE crimes need each party's IC code and each suspect's status (or NS).
                "ethnicity_observed": "IC9",
                "immigration_status": "NS" if p[0] != "v" else "",
            }
            for p in people
        ]
    )
    rows = []
    for eid, when, etype, offence, postcode, place in EVENTS:
        if event_ids is not None and eid not in event_ids:
            continue
        rows.append(
            {
                "local_id": f"E{eid}",
                "event_type": etype,
                "occurred_at": when,
                "participants": ";".join(f"{r}:{p}" for e, p, r in PARTICIPANTS if e == eid),
                "objects": ";".join(f"{t}:{v}" for e, t, v in OBJECTS if e == eid),
                "postcode": postcode,
                "place_type": place,
                "offence_code": offence,
            }
        )
    return persons, events_csv(*rows)
