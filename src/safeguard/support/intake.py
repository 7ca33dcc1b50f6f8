"""Creating the offers that situations make due, and naming the agency that must make each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from safeguard.domain.codes import CodeLists
from safeguard.store.uow import UnitOfWork
from safeguard.support.pathways import Pathways
from safeguard.support.triggers import Situation, plan_offers

_PREFIX = {"csc": "CSC", "health": "HEALTH", "education": "EDU", "mash": "MASH"}


def responsible(codes: CodeLists, la: str, kind: str) -> str | None:
    """The agency of ``kind`` serving local authority ``la`` (police: the force's)."""
    if kind == "police":
        hub = codes.agencies.get(f"MASH-{la}")
        code = f"POLICE-{hub.force_code if hub else None}"
    else:
        code = f"{_PREFIX[kind]}-{la}"
    return code if code in codes.agencies else None


#: The area of an offer whose child no record places yet (a police record without a postcode,
#: from a force covering several authorities, before linking joins it to the child's other
#: records). The offer is still made, by the agency that recorded the trigger, and reported
#: under this code: no victim is left out of the accountability report for want of an area.
AREA_NOT_KNOWN = "unknown"


def _trigger_agency(trigger: str) -> str | None:
    kind, _, rest = trigger.partition(":")
    return rest.partition("/")[0] if kind == "event" and "/" in rest else None


def raise_offers(
    uow: UnitOfWork,
    codes: CodeLists,
    pathways: Pathways,
    now: datetime,
    situations: Sequence[Situation],
    hint: dict[str, str] | None = None,
) -> int:
    """Create the offers these situations make due (inside the caller's transaction). The
    child's area is where most of their agency records are; else ``hint`` (the area of the
    triggering record's postcode, or of the alert)."""
    if not situations:
        return 0
    people = {s.person_id for s in situations}
    las = {**(hint or {}), **uow.risk.home_las(people)}
    made = 0
    for situation, code, due in plan_offers(situations, uow.support.existing(people), pathways):
        la = las.get(situation.person_id)
        service = pathways.service(code)
        agency = responsible(codes, la, service.offered_by) if la and service else None
        if la is None and service is not None:
            la, agency = AREA_NOT_KNOWN, _trigger_agency(situation.trigger)
        if agency is None or agency not in codes.agencies:
            continue  # neither an area nor an agency that knows the child: nobody to offer
        uow.support.add_offer(
            person_id=situation.person_id,
            la_code=la,
            service=code,
            situation=situation.situation,
            trigger=situation.trigger[:200],
            responsible_agency=agency,
            identified_at=situation.identified_at,
            due_at=due,
            status="due",
            created_at=now,
        )
        made += 1
    return made
