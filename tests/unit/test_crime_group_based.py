"""The group-based flag is derived from linked suspects, with its reason."""

from __future__ import annotations

from datetime import date

from safeguard.crime.derive import CrimeLinks, derive_group_flags


def crime(cid: int, day: date, victims: set[str], suspects: set[str]) -> CrimeLinks:
    return CrimeLinks(cid, day, frozenset(victims), frozenset(suspects))


def test_two_suspects_on_one_crime() -> None:
    flags = derive_group_flags([crime(1, date(2024, 1, 1), {"v"}, {"a", "b"})], 90)
    assert flags[1].group_based and flags[1].reason == "2 suspects linked to the crime"


def test_one_suspect_alone_is_not_group_based() -> None:
    flags = derive_group_flags([crime(1, date(2024, 1, 1), {"v"}, {"a"})], 90)
    assert not flags[1].group_based
    assert flags[1].reason == "1 suspect, none other in the victim's episode"


def test_different_suspects_against_the_same_victim_within_the_window() -> None:
    crimes = [
        crime(1, date(2024, 1, 1), {"v"}, {"a"}),
        crime(2, date(2024, 3, 1), {"v"}, {"b"}),  # 60 days later: same episode
        crime(3, date(2024, 1, 1), {"w"}, {"c"}),  # another victim
    ]
    flags = derive_group_flags(crimes, 90)
    assert flags[1].group_based and flags[2].group_based and not flags[3].group_based
    assert flags[1].reason == (
        "2 suspects linked to the same victim within one episode (crimes 2 within 90 days)"
    )


def test_outside_the_window_is_another_episode_and_the_window_is_configurable() -> None:
    crimes = [
        crime(1, date(2024, 1, 1), {"v"}, {"a"}),
        crime(2, date(2024, 6, 1), {"v"}, {"b"}),  # 152 days later
    ]
    assert not any(f.group_based for f in derive_group_flags(crimes, 90).values())
    assert all(f.group_based for f in derive_group_flags(crimes, 200).values())


def test_the_same_suspect_twice_is_not_a_group() -> None:
    crimes = [
        crime(1, date(2024, 1, 1), {"v"}, {"a"}),
        crime(2, date(2024, 1, 5), {"v"}, {"a"}),
    ]
    assert not any(f.group_based for f in derive_group_flags(crimes, 90).values())


def test_episodes_chain_through_intermediate_crimes() -> None:
    crimes = [
        crime(1, date(2024, 1, 1), {"v"}, {"a"}),
        crime(2, date(2024, 3, 1), {"v"}, set()),
        crime(3, date(2024, 5, 1), {"v"}, {"b"}),
    ]
    flags = derive_group_flags(crimes, 90)
    assert all(f.group_based for f in flags.values())
    assert flags[2].suspects == 2
