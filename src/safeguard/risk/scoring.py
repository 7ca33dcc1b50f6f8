"""Score one child's indicators against the rules and explain the result in words.

The scorer's only inputs are :class:`EventView` projections and the suspect context; it has no
path to a person record, so it cannot read a protected field even by mistake.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from safeguard.risk.indicators import EventView, Occurrence, SuspectContext, detect
from safeguard.risk.rules import RiskRules, Rule


@dataclass(frozen=True)
class RuleHit:
    """A rule crossed its threshold on ``on`` with these occurrences as evidence."""

    rule: str
    on: date
    score: int
    threshold: int
    evidence: tuple[Occurrence, ...]

    def explanation(self) -> str:
        parts = [
            f"{o.indicator} on {o.on.isoformat()} ({', '.join(sorted(o.agency_kinds))})"
            for o in self.evidence
        ]
        kinds = sorted({k for o in self.evidence for k in o.agency_kinds})
        return (
            f"Rule {self.rule} scored {self.score} (threshold {self.threshold}) from "
            f"{len(kinds)} agenc{'y' if len(kinds) == 1 else 'ies'} ({', '.join(kinds)}): "
            + "; ".join(parts)
            + "."
        )


@dataclass(frozen=True)
class Assessment:
    """A child's indicators and the first time each rule fired (if any)."""

    person_id: str
    occurrences: tuple[Occurrence, ...]
    hits: tuple[RuleHit, ...]

    @property
    def alert(self) -> bool:
        return bool(self.hits)

    @property
    def first_alert_on(self) -> date | None:
        return min((h.on for h in self.hits), default=None)

    @property
    def score(self) -> int:
        return max((h.score for h in self.hits), default=0)

    def later(self, weighted: Collection[str]) -> tuple[Occurrence, ...]:
        """Weighted indicators seen after the first alert: new signs on an existing alert."""
        first = self.first_alert_on
        if first is None:
            return ()
        shown = {(o.indicator, o.on) for h in self.hits for o in h.evidence}
        return tuple(
            o
            for o in self.occurrences
            if o.on > first and o.indicator in weighted and (o.indicator, o.on) not in shown
        )

    def explanation(self) -> str:
        return " ".join(h.explanation() for h in self.hits) or "No rule crossed its threshold."


def _first_hit(rule: Rule, occs: Sequence[Occurrence]) -> RuleHit | None:
    """Slide a window over the occurrences; the first date the rule's threshold is met."""
    relevant = [o for o in occs if o.indicator in rule.weights]
    for i, end in enumerate(relevant):
        horizon = end.on - timedelta(days=rule.window_days)
        latest: dict[str, Occurrence] = {}
        for o in relevant[: i + 1]:
            if o.on >= horizon:
                latest[o.indicator] = o
        score = sum(rule.weights[c] for c in latest)
        kinds = {k for o in latest.values() for k in o.agency_kinds}
        if score >= rule.threshold and len(kinds) >= rule.min_agencies:
            evidence = tuple(sorted(latest.values(), key=lambda o: (o.on, o.indicator)))
            return RuleHit(rule.code, end.on, score, rule.threshold, evidence)
    return None


def assess(
    person_id: str,
    events: Iterable[EventView],
    ctx: SuspectContext,
    rules: RiskRules,
    *,
    only_agency_kind: str | None = None,
) -> Assessment:
    """Indicators and rule hits for one child. ``only_agency_kind`` gives the one-agency view
    (the baseline: what that agency would have seen alone, with ``min_agencies`` waived)."""
    evs = [e for e in events if only_agency_kind is None or e.agency_kind == only_agency_kind]
    occs = detect(rules.indicators, evs, ctx)
    hits: list[RuleHit] = []
    for rule in rules.rules:
        if only_agency_kind is not None:
            rule = Rule(
                rule.code, rule.description, rule.window_days, rule.threshold, 1, rule.weights
            )
        hit = _first_hit(rule, occs)
        if hit is not None:
            hits.append(hit)
    return Assessment(person_id, tuple(occs), tuple(hits))
