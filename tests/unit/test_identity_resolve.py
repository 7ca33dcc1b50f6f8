"""The real-time rule: join when sure and unambiguous, otherwise create (and queue if unsure)."""

from __future__ import annotations

import pandas as pd

from safeguard.domain.child_ref import format_child_ref
from safeguard.identity.resolve import decide

R1, R2 = format_child_ref(1), format_child_ref(2)
ASSIGNMENT = {"a": R1, "b": R2}


def scores(*rows: tuple[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "record_id_l": other,
                "record_id_r": "new",
                "match_probability": p,
                "match_weight": 0.0,
                "gamma_dob": 1,
                "gamma_surname": 7,
                "gamma_home": 6,
                "gamma_first_name": 8,
                "gamma_nhs_number": -1,
                "first_name_l": "amy",
                "first_name_r": "amy",
                "surname_l": "wood",
                "surname_r": "wood",
                "first_name_dm_l": "AM",
                "first_name_dm_r": "AM",
            }
            for other, p in rows
        ]
    )


def new_ref() -> str:
    return format_child_ref(99)


def test_sure_single_candidate_joins() -> None:
    r = decide("new", scores(("a", 0.999), ("b", 0.2)), ASSIGNMENT, new_ref)
    assert (r.decision, r.child_ref) == ("join", R1)


def test_no_candidate_creates() -> None:
    r = decide("new", scores(), ASSIGNMENT, new_ref)
    assert (r.decision, r.child_ref) == ("create", new_ref())


def test_uncertain_band_creates_and_queues() -> None:
    r = decide("new", scores(("a", 0.7)), ASSIGNMENT, new_ref)
    assert r.decision == "review" and r.child_ref == new_ref()
    assert [(q.record_id_l, q.record_id_r) for q in r.review] == [("new", "a")]


def test_two_sure_references_are_ambiguous_and_go_to_review() -> None:
    r = decide("new", scores(("a", 0.99), ("b", 0.98)), ASSIGNMENT, new_ref)
    assert r.decision == "review" and len(r.review) == 2


def test_reviewer_cannot_link_is_respected() -> None:
    r = decide("new", scores(("a", 0.999)), ASSIGNMENT, new_ref, cannot_link=[("a", "new")])
    assert r.decision == "create"


def test_uncertain_batch_pairs_in_different_clusters_go_to_review() -> None:
    from safeguard.identity.service import LinkResult, review_items

    pairs = scores(("a", 0.7), ("b", 0.99), ("c", 0.6))
    clusters = {"a": "a", "b": "new", "c": "new", "new": "new"}
    items = review_items(LinkResult(clusters, pairs, "{}"))
    assert [(i.record_id_l, i.record_id_r) for i in items] == [("a", "new")]


def test_review_asks_once_per_pair_of_children_and_never_about_two_a_guard_keeps_apart() -> None:
    from safeguard.identity.service import LinkResult, review_items

    # Child X = {x1, x2}, child Y = {y1, y2}, child Z = {z1}: three uncertain pairs join X and Y,
    # one joins X and Z, but a twin guard already keeps x2 and z1 apart.
    rows = scores(("x1", 0.6), ("x2", 0.7), ("y2", 0.65), ("x2", 0.8))
    rows["record_id_r"] = ["y1", "y1", "x1", "z1"]
    clusters = {"x1": "X", "x2": "X", "y1": "Y", "y2": "Y", "z1": "Z"}
    result = LinkResult(clusters, rows, "{}", decided_apart={frozenset(("x2", "z1"))})
    items = review_items(result)
    assert [(i.record_id_l, i.record_id_r, i.match_probability) for i in items] == [
        ("x2", "y1", 0.7)
    ]


def test_review_asks_about_the_same_pair_whatever_order_the_pairs_come_in() -> None:
    from safeguard.identity.service import LinkResult, review_items

    rows = scores(("x2", 0.7), ("x1", 0.7), ("x3", 0.7))
    rows["record_id_r"] = "y1"
    clusters = {"x1": "X", "x2": "X", "x3": "X", "y1": "Y"}
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        items = review_items(LinkResult(clusters, rows.iloc[order], "{}"))
        assert [(i.record_id_l, i.record_id_r) for i in items] == [("x1", "y1")]
