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
from datetime import datetime, timedelta

from safeguard.domain.codes import Agency, CodeLists
from safeguard.domain.records import Participant, ParticipantFacts
from safeguard.sharing.obligations import SharingObligation
from safeguard.sharing.rules import MADE, NEVER_MADE, _index, child_victim_codes, utc

#: (obligation, person id, partner agency, status, note, due at): a ``ShareDecision``'s fields.
PlainDecision = tuple[SharingObligation, str | None, str | None, str, str, datetime]

_UNIDENTIFIED = "the child victim was not identified in the submission"
_AGE_UNKNOWN = "the child's age is unknown"
_NO_AREA = "the child's local authority could not be resolved"


class PlainShares:
    """Shares of one agency's events without details; ``__call__`` answers as
    ``decide_shares`` would for the duties given (already matched to the event's kind)."""

    def __init__(self, agency: Agency, codes: CodeLists) -> None:
        self.agency = agency
        self.index = _index(codes)
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
        day = None
        for rule in duties:
            key = (occurred_at, rule.within_hours)
            deadline = self.deadlines.get(key)
            if deadline is None:
                deadline = self.deadlines[key] = utc(occurred_at) + timedelta(
                    hours=rule.within_hours
                )
            roles = rule.roles
            children = [p for p in participants if p.role in roles]
            if not children:
                if "victim" in roles and offence in self.child_victim:
                    decisions.append((rule, None, None, NEVER_MADE, _UNIDENTIFIED, deadline))
                continue
            for child in children:
                person_id, dob, home = facts[child.local_id]
                if dob is None:
                    decisions.append((rule, person_id, None, NEVER_MADE, _AGE_UNKNOWN, deadline))
                    continue
                if day is None:
                    day = occurred_at.date()
                age = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
                if age > rule.max_age:
                    continue
                partner = self._partner(rule.partner, home, postcode)
                if partner is None:
                    decisions.append((rule, person_id, None, NEVER_MADE, _NO_AREA, deadline))
                else:
                    decisions.append((rule, person_id, partner, MADE, "", deadline))
        return decisions

    def _partner(self, kind: str, home: str | None, postcode: str | None) -> str | None:
        """``resolve_partner``'s answer, worked out once per kind and pair of postcodes."""
        key = (kind, home, postcode)
        try:
            return self.partners[key]
        except KeyError:
            pass
        index = self.index
        la = (
            (home and index.la_of_postcode(home))
            or (postcode and index.la_of_postcode(postcode))
            or self.agency.la_code
        )
        if not la and self.agency.force_code:
            la = index.only_la_of_force(self.agency.force_code)
        partner = self.partners[key] = index.partner(kind, la) if la else None
        return partner
