"""Clustering respects reviewers, refuses chains across cannot-links and keeps twins apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from safeguard.domain.identity import ReviewDecision
from safeguard.identity.clustering import automatic_cannot_links, constrained_clusters
from safeguard.identity.service import decision_links


def edges(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["record_id_l", "record_id_r", "match_probability"])


def test_strong_edges_join_and_weak_ones_do_not() -> None:
    out = constrained_clusters("abc", edges(("a", "b", 0.99), ("b", "c", 0.4)), 0.8)
    assert out == {"a": "a", "b": "a", "c": "c"}


def test_cannot_link_stops_a_chain() -> None:
    # a-b and b-c are strong, but a and c are different children: c must stay out.
    e = edges(("a", "b", 0.99), ("b", "c", 0.95))
    out = constrained_clusters("abc", e, 0.8, cannot_link=[("a", "c")])
    assert out["a"] == out["b"] != out["c"]


def test_cannot_link_survives_merges_on_both_sides() -> None:
    e = edges(("a", "b", 0.99), ("c", "d", 0.99), ("b", "d", 0.97))
    out = constrained_clusters("abcd", e, 0.8, cannot_link=[("a", "c")])
    assert out["a"] == out["b"] and out["c"] == out["d"] and out["a"] != out["c"]


def test_must_link_joins_without_any_edge_and_beats_automatic_cannot() -> None:
    out = constrained_clusters("ab", edges(), 0.8, must_link=[("a", "b")], cannot_link=[("a", "b")])
    assert out["a"] == out["b"]


def test_latest_reviewer_decision_wins() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    decisions = [
        ReviewDecision("a", "b", "same", "same school and GP", "rev1", t),
        ReviewDecision(
            "b", "a", "not_same", "twins, checked birth records", "rev2", t + timedelta(1)
        ),
    ]
    must, cannot = decision_links(decisions)
    assert must == [] and cannot == [("b", "a")]


def pair_levels(first: tuple[str, str], first_level: int, nhs_level: int = -1) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "record_id_l": "t1",
                "record_id_r": "t2",
                "match_probability": 0.97,
                "gamma_dob": 4,
                "gamma_surname": 7,
                "gamma_home": 6,
                "gamma_first_name": first_level,
                "gamma_nhs_number": nhs_level,
                "first_name_l": first[0],
                "first_name_r": first[1],
                "surname_l": "khan",
                "surname_r": "khan",
                "first_name_dm_l": None,
                "first_name_dm_r": None,
            }
        ]
    )


def test_twins_are_cannot_linked_even_with_a_high_score() -> None:
    twins = pair_levels(("aisha", "yusuf"), 0)
    assert automatic_cannot_links(twins, twin_guard=True, differing_nhs=False) == [("t1", "t2")]
    out = constrained_clusters(
        ["t1", "t2"], twins, 0.8, cannot_link=automatic_cannot_links(twins, True, False)
    )
    assert out["t1"] != out["t2"]


def test_typos_and_short_forms_are_not_mistaken_for_twins() -> None:
    assert automatic_cannot_links(pair_levels(("chloe", "chuoe"), 1), True, False) == []
    assert automatic_cannot_links(pair_levels(("jess", "jessica"), 1), True, False) == []
    assert automatic_cannot_links(pair_levels(("liv", "olivia"), 0), True, False) == []
    assert automatic_cannot_links(pair_levels(("isla", "isabella"), 0), True, False) != []


def test_differing_valid_nhs_numbers_are_cannot_linked() -> None:
    pair = pair_levels(("amelia", "amelia"), 7, nhs_level=0)
    assert automatic_cannot_links(pair, twin_guard=False, differing_nhs=True) == [("t1", "t2")]
    assert automatic_cannot_links(pair, twin_guard=False, differing_nhs=False) == []


def test_short_names_that_sound_alike_are_still_twins() -> None:
    evie_ava = pair_levels(("evie", "ava"), 4)
    evie_ava["first_name_dm_l"] = evie_ava["first_name_dm_r"] = "AF"
    assert automatic_cannot_links(evie_ava, True, False) == [("t1", "t2")]


def test_transliterations_are_one_name_not_twins() -> None:
    spelt = pair_levels(("mohammed", "muhammad"), 4)
    spelt["first_name_dm_l"] = spelt["first_name_dm_r"] = "MHMT"
    assert automatic_cannot_links(spelt, True, False) == []
