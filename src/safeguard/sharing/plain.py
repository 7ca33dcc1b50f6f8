"""A quick path for the shares of events without details, the common case at ingest.

``decide_shares`` reads an event's details (withheld, flags, an unidentified child) and checks
every duty against it. An event without details has none of those, and the duties it can match
were chosen once for its type and offence, so each participant's share follows from their role,
age and area alone. ``PlainShares`` decides exactly that, remembering deadlines and partners for
the rest of the file, and gives each decision as the plain tuple a ``ShareDecision`` equals.
Tests hold it to ``decide_shares`` on generated events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from safeguard.domain.codes import Agency, CodeLists
from safeguard.domain.obligations import SharingObligation, age_on
from safeguard.domain.records import Participant, ParticipantFacts
from safeguard.sharing.rules import (
    AGE_UNKNOWN,
    MADE,
    NEVER_MADE,
    NO_AREA,
    UNIDENTIFIED,
    area_partner,
    child_victim_codes,
    due_at,
)

#: (obligation, person id, partner agency, status, note, due at): a ``ShareDecision``'s fields.
PlainDecision = tuple[SharingObligation, str | None, str | None, str, str, datetime]


class PlainShares:
    """Shares of one agency's events without details; ``__call__`` answers as
    ``decide_shares`` would for the duties given (already matched to the event's kind)."""

    def __init__(self, agency: Agency, codes: CodeLists) -> None:
        self.agency = agency
        self.codes = codes
        self.child_victim = child_victim_codes(codes)
        self.deadlines: dict[tuple[datetime, int], datetime] = {}
        # (partner kind, child's postcode, event's postcode) -> receiving agency or None.
        self.partners: dict[tuple[str, str | None, str | None], str | None] = {}

    def __call__(
        self,
        duties: Sequence[SharingObligation],
        occurred_at: datetime,
        offence: str | None,
        postcode: str | None,
        participants: Sequence[Participant],
        facts: Mapping[str, ParticipantFacts],
    ) -> list[PlainDecision]:
        """The shares of one event: its participants' facts are looked up by local id."""
        decisions: list[PlainDecision] = []
        for rule in duties:
            key = (occurred_at, rule.within_hours)
            deadline = self.deadlines.get(key)
            if deadline is None:
                deadline = self.deadlines[key] = due_at(rule, occurred_at)
            roles = rule.roles
            children = [p for p in participants if p.role in roles]
            if not children:
                if "victim" in roles and offence in self.child_victim:
                    decisions.append((rule, None, None, NEVER_MADE, UNIDENTIFIED, deadline))
                continue
            for child in children:
                person_id, dob, home = facts[child.local_id]
                if dob is None:
                    decisions.append((rule, person_id, None, NEVER_MADE, AGE_UNKNOWN, deadline))
                    continue
                if age_on(dob, occurred_at) > rule.max_age:
                    continue
                partner = self._partner(rule.partner, home, postcode)
                if partner is None:
                    decisions.append((rule, person_id, None, NEVER_MADE, NO_AREA, deadline))
                else:
                    decisions.append((rule, person_id, partner, MADE, "", deadline))
        return decisions

    def _partner(self, kind: str, home: str | None, postcode: str | None) -> str | None:
        """``area_partner``'s answer, worked out once per kind and pair of postcodes."""
        key = (kind, home, postcode)
        if key not in self.partners:
            self.partners[key] = area_partner(kind, home, postcode, self.agency, self.codes)
        return self.partners[key]
