"""Real time: a new record gets a child reference at once — join, create, or create and queue.

The engine scores the record against its blocked candidates (Splink ``predict_between``); the
rule here decides from those scores and the current assignment, using the thresholds in
``data/linkage.yaml``. Candidates that must be a different child (twin guard, differing valid
NHS numbers, a reviewer's "not same") are never joined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from safeguard.analytics.linkage_model import LinkageSettings, load_linkage_settings
from safeguard.domain.identity import ReviewItem
from safeguard.identity.clustering import dob_guard_since, must_differ, namesake_only

Decision = Literal["join", "create", "review"]


@dataclass(frozen=True)
class Resolution:
    """What happened to one new record, with the evidence a person can check."""

    record_id: str
    decision: Decision
    child_ref: str
    match_probability: float
    candidate_refs: dict[str, float] = field(default_factory=dict)
    review: list[ReviewItem] = field(default_factory=list)


def decide(
    record_id: str,
    scores: pd.DataFrame | Sequence[Mapping[str, Any]],
    assignment: Mapping[str, str],
    issue: Callable[[], str],
    cannot_link: Iterable[tuple[str, str]] = (),
    settings: LinkageSettings | None = None,
) -> Resolution:
    """Join the best reference when it is sure and unambiguous; otherwise create (and queue).

    ``scores`` holds the new record's scored pairs (``record_id_l``/``record_id_r``, the
    probability and comparison levels), as a DataFrame or as one mapping per pair. Pairs the
    twin, date-of-birth or NHS guards say are different children are never joined. A second
    reference also above the join threshold makes the case ambiguous, so it goes to review
    instead of silently picking one.
    """
    s = settings or load_linkage_settings()
    blocked = {frozenset(p) for p in cannot_link}
    pairs: Sequence[Mapping[str, Any]] = (
        [{str(k): v for k, v in p.items()} for p in scores.to_dict("records")]
        if isinstance(scores, pd.DataFrame)
        else scores
    )
    since = dob_guard_since(s.dob_guard_under_age)
    best: dict[str, tuple[float, str, float]] = {}
    for pair in pairs:
        left, right = pair["record_id_l"], pair["record_id_r"]
        prob, weight = float(pair["match_probability"]), float(pair["match_weight"])
        other = right if left == record_id else left
        ref = assignment.get(other)
        if ref is None or frozenset((left, right)) in blocked:
            continue
        if must_differ(pair, s.twin_guard, s.differing_nhs_is_cannot_link, s.dob_guard, since):
            continue
        if s.namesake_guard and namesake_only(pair):
            # Only name and date of birth agree: never joined on that alone, but reviewed.
            prob = min(prob, (s.review_probability + s.join_probability) / 2)
        if ref not in best or prob > best[ref][0]:
            best[ref] = (prob, other, weight)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    candidates = {ref: p for ref, (p, _o, _w) in ranked}
    if not ranked or ranked[0][1][0] < s.review_probability:
        top = ranked[0][1][0] if ranked else 0.0
        return Resolution(record_id, "create", issue(), top, candidates)
    sure = [r for r in ranked if r[1][0] >= s.join_probability]
    if len(sure) == 1:
        ref, (prob, _other, _w) = sure[0]
        return Resolution(record_id, "join", ref, prob, candidates)
    queue = [
        ReviewItem(record_id, other, prob, weight)
        for _ref, (prob, other, weight) in ranked
        if prob >= s.review_probability
    ]
    return Resolution(record_id, "review", issue(), ranked[0][1][0], candidates, queue)
