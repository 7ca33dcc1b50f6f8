"""Clustering that respects reviewer decisions and resists chaining.

Connected components at a threshold chains whole families together through a few wrong links.
Here pairs are merged strongest first (like single linkage), but two clusters are never merged
when any record of one cannot be the same child as any record of the other: a reviewer said
"not same", both carry different valid NHS numbers, or the pair looks like twins. Reviewer
"same" decisions (must-link) are applied before anything else and always hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from jellyfish import damerau_levenshtein_distance

from safeguard.analytics.standardise import forms_of_each_other, listed_given_names

#: ``gamma_first_name`` of the "nickname or short form" level (``model._first_name``).
_SHORT_FORM_LEVEL = 5
#: ``gamma_home`` levels of two different homes (``model._home``): nothing in common, or only
#: the district or sector (different addresses). Between two registers only the first
#: conflicts (a family moves within a town); within one register both do (a school or GP
#: register does not keep one child twice at two addresses).
_OTHER_HOMES = (0, 2, 3)


class _Clusters:
    """Union-find whose roots carry the set of roots they must never join."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}
        self.size = dict.fromkeys(self.parent, 1)
        self.cannot: dict[str, set[str]] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def forbid(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.cannot.setdefault(ra, set()).add(rb)
            self.cannot.setdefault(rb, set()).add(ra)

    def union(self, a: str, b: str, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and rb in self.cannot.get(ra, ()):
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        moved = self.cannot.pop(rb, set())
        for other in moved:
            peers = self.cannot[other]
            peers.discard(rb)
            if other != ra:
                peers.add(ra)
        moved.discard(ra)
        if moved:
            self.cannot.setdefault(ra, set()).update(moved)
        if ra in self.cannot:
            self.cannot[ra].discard(ra)
            if not self.cannot[ra]:
                del self.cannot[ra]
        return True


def constrained_clusters(
    record_ids: Iterable[str],
    edges: pd.DataFrame,
    threshold: float,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Record id → cluster key (the cluster's smallest record id).

    ``edges`` has ``record_id_l``, ``record_id_r`` and ``match_probability``; only edges at or
    above ``threshold`` join clusters. A cannot-link between two records already must-linked
    together is ignored (the reviewer's "same" is the later, human word).
    """
    clusters = _Clusters(record_ids)
    for a, b in must_link:
        clusters.union(a, b, force=True)
    for a, b in cannot_link:
        clusters.forbid(a, b)
    strong = edges.loc[edges["match_probability"] >= threshold]
    strong = strong.sort_values(
        ["match_probability", "record_id_l", "record_id_r"], ascending=[False, True, True]
    )
    for a, b in zip(strong["record_id_l"].tolist(), strong["record_id_r"].tolist(), strict=True):
        clusters.union(a, b)
    key: dict[str, str] = {}
    out: dict[str, str] = {}
    for record_id in clusters.parent:
        root = clusters.find(record_id)
        key[root] = min(key.get(root, record_id), record_id)
    for record_id in clusters.parent:
        out[record_id] = key[clusters.find(record_id)]
    return out


def _far(a: object, b: object, dm_a: object = None, dm_b: object = None) -> bool:
    """True when two names are different names, not slips or spellings of one name.

    Slips (one edit), short forms (jess / jessica, liv / olivia) and transliterations (same
    double-metaphone key, five letters or more: mohammed / muhammad) are the same name. Names
    that merely sound alike are different names: short ones (evie / ava / ivy share a key), and
    two that the published English list holds as names in their own right (millie / molly).
    """
    if not isinstance(a, str) or not isinstance(b, str):
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and short in long_:
        return False  # short forms: jess / jessica, liv / olivia, dija / khadijah
    if damerau_levenshtein_distance(a, b) <= 1:
        return False
    if a in listed_given_names() and b in listed_given_names():
        return True  # two English names, neither a slip of the other
    return not (dm_a is not None and dm_a == dm_b and len(short) >= 5)


def _different_first_names(
    level: int, f_l: object, f_r: object, s_l: object, s_r: object, dm_l: object, dm_r: object
) -> bool:
    """Twin guard's name test for a pair whose first-name level is at most the short-form level.

    Below that level the names differ unless ``_far`` calls them one name or they are swapped
    with the surname. At the short-form level they share a nickname or formal form; they are one
    name only when one is a form of the other (charlie / charlotte, florrie / florence), not when
    both are merely forms of a third (jay / jamie via james, lottie / charlie via charlotte), as
    same-sex twins may well be named.
    """
    different = _far(f_l, f_r, dm_l, dm_r) and (_far(f_l, s_r) or _far(s_l, f_r))
    if level < _SHORT_FORM_LEVEL or not different:
        return different
    return not (isinstance(f_l, str) and isinstance(f_r, str) and forms_of_each_other(f_l, f_r))


def automatic_cannot_links(
    pairs: pd.DataFrame,
    twin_guard: bool,
    differing_nhs: bool,
    dob_guard: bool = False,
    lone_names_from: float | None = None,
    dob_guard_since: str | None = None,
) -> list[tuple[str, str]]:
    """Pairs the model's comparison levels say are different children whatever their score.

    Twin guard: same date of birth (or one slip from it, or the same month) and same household
    (surname agrees at least phonetically, or same postcode) and either first names that are
    different names (not slips, short forms, transliterations or swapped with the surname),
    or near names with different sex, or different middle names. Differing NHS: both numbers
    valid and different. Date-of-birth guard: two dates no single slip explains (not equal,
    swapped, one edit apart, nor the same day and month, nor the same year and month) belong
    to different people, such as a parent and child or siblings who share a name and a home.
    Within one agency's register (record ids ``agency/local_id``) any two first names short of
    the same name (exact or swapped) with the same birthday and household are twins: the agency
    enrolled two children. Level numbers follow ``model.comparisons``. With
    ``lone_names_from`` (the clustering threshold), a pair whose first names differ is released
    from the twin guard when one of the two names is carried by no other record at that
    threshold (``lone_name_pairs`` says when exactly).
    """
    if pairs.empty:
        return []
    mask = pd.Series(False, index=pairs.index)
    if twin_guard:
        same_dob = pairs["gamma_dob"] >= 1  # equal but for a slip, or born the same month
        household = (pairs["gamma_surname"] >= 3) | (pairs["gamma_home"] >= 5)
        # Levels 0-4: no agreement, Jaro-Winkler, sounds alike, or one's first name is the
        # other's middle name (a twin named after the other's middle name must not merge);
        # level 5: names sharing only a third form (jay / jamie).
        twin_ish = same_dob & household
        names_differ = twin_ish & pairs["gamma_first_name"].between(0, _SHORT_FORM_LEVEL)
        candidates = pairs.loc[names_differ]
        far = [
            _different_first_names(*row)
            for row in candidates[
                ["gamma_first_name", "first_name_l", "first_name_r", "surname_l", "surname_r"]
                + ["first_name_dm_l", "first_name_dm_r"]
            ].itertuples(index=False)
        ]
        # One register holding two records of one birthday and household under two first
        # names (Isabelle / Isabella, Mohammed / Mohammad) holds twins: the agency itself
        # enrolled two children.
        registered = twin_ish & pairs["gamma_first_name"].between(0, _SHORT_FORM_LEVEL)
        same = [
            same_register(a, b)
            for a, b in zip(
                pairs.loc[registered, "record_id_l"],
                pairs.loc[registered, "record_id_r"],
                strict=True,
            )
        ]
        mask.loc[pairs.index[registered][same]] = True
        hits = candidates.loc[far]
        if lone_names_from is not None and not hits.empty:
            hits = hits.loc[~lone_name_pairs(pairs, hits, lone_names_from)]
        mask.loc[hits.index] = True
        # Boy-and-girl twins with near names (oliver / olivia, even sharing a nickname), and
        # twins given one first
        # name with different middle names (muhammad abdul / muhammad zubair).
        if "sex_l" in pairs:
            mask |= (
                (twin_ish & pairs["gamma_first_name"].between(0, 5))
                & pairs["sex_l"].notna()
                & pairs["sex_r"].notna()
                & (pairs["sex_l"] != pairs["sex_r"])
            )
        if "middle_name_l" in pairs:
            both = pairs.loc[
                twin_ish & pairs["middle_name_l"].notna() & pairs["middle_name_r"].notna()
            ]
            middle_far = [
                _far(a, b)
                for a, b in zip(both["middle_name_l"], both["middle_name_r"], strict=True)
            ]
            mask.loc[both.index[middle_far]] = True
    if dob_guard and "dob_l" in pairs:
        other = pairs.loc[pairs["gamma_dob"] == 0]
        # Level 0 already excludes equal, swapped, one-edit and same-year-and-month dates.
        unexplained = [
            _unexplained_dates(a, b, dob_guard_since)
            for a, b in zip(other["dob_l"], other["dob_r"], strict=True)
        ]
        mask.loc[other.index[unexplained]] = True
    if differing_nhs and "gamma_nhs_number" in pairs:
        mask |= pairs["gamma_nhs_number"] == 0
    hit = pairs.loc[mask]
    return list(zip(hit["record_id_l"].tolist(), hit["record_id_r"].tolist(), strict=True))


#: First-name levels that say two records carry one name: a slip (Jaro-Winkler strong), the
#: same sound, a short form, swapped with the surname, or exact (``model._first_name``).
_SAME_NAME_LEVEL = 3


def _source(record_id: str) -> str | None:
    agency, slash, _ = record_id.partition("/")
    return agency if slash else None


def lone_name_pairs(pairs: pd.DataFrame, hits: pd.DataFrame, threshold: float) -> pd.Series:
    """Which twin-guard ``hits`` (first names differ) rest on a name only one record carries.

    A record's first name is corroborated when another record at ``threshold`` or above
    agrees with it on first name. Twins each have their own records (GP, school), so both
    names are corroborated; a duplicate with a mistyped or substituted first name is the lone
    record with that name.
    Where the record ids name their agencies (``agency/local_id``) the pair is released only
    when exactly one name is lone, the two agencies differ (two lone records in two agencies
    are what twins each known to one agency look like), the lone record's own register holds
    no twin-like record beside it, and its twin-like partners all carry one name (a household
    with two children of that birthday leaves it ambiguous). Without agencies a lone name on
    either side releases the pair to the model's score, as for any pair.
    """
    strong = pairs.loc[
        (pairs["match_probability"] >= threshold) & (pairs["gamma_first_name"] >= _SAME_NAME_LEVEL)
    ]
    corroborated = set(strong["record_id_l"]).union(strong["record_id_r"])
    partners: dict[str, list[object]] = {}
    registered_apart: set[str] = set()
    for left, right, f_l, f_r in hits[
        ["record_id_l", "record_id_r", "first_name_l", "first_name_r"]
    ].itertuples(index=False):
        partners.setdefault(left, []).append(f_r)
        partners.setdefault(right, []).append(f_l)
        if same_register(left, right):
            registered_apart.update((left, right))

    def releasable(record: str) -> bool:
        names = partners[record]
        return (
            record not in corroborated
            and record not in registered_apart
            and not any(_far(names[0], other) for other in names[1:])
        )

    lone = []
    for left, right in zip(hits["record_id_l"], hits["record_id_r"], strict=True):
        if _source(left) is None or _source(right) is None:
            lone.append(left not in corroborated or right not in corroborated)
        else:
            both_lone = left not in corroborated and right not in corroborated
            lone.append(releasable(left) + releasable(right) == 1 and not both_lone)
    return pd.Series(lone, index=hits.index, dtype=bool)


_AREA = re.compile(r"[A-Z]+|[0-9]")


def postcode_area(postcode: object) -> str | None:
    """The postcode area: a UK code's leading letters (S, OL, M), else its first character (a
    state in a four-digit code). Homes in different areas are in different towns."""
    if not isinstance(postcode, str) or not postcode:
        return None
    match = _AREA.match(postcode)
    return match.group(0) if match else None


def same_register(left: str, right: str) -> bool:
    """Both records are in one agency's register (record ids ``agency/local_id``)."""
    return (a := _source(left)) is not None and a == _source(right)


def namesake_only(pair: Mapping[str, Any]) -> bool:
    """A pair that only name and date of birth support: homes that differ, no NHS number on at
    least one side, middle names that do not agree, and either homes in different postcode
    areas or both records in one agency's register. Namesakes (same name, sex and birthday,
    another home) look exactly like this, and so does a child who moved; only a person can
    tell, so such pairs go to the review queue instead of merging. Within one register the
    agency itself holds them as two children (``register_namesakes`` keeps them apart)."""
    try:
        if not (
            pair["gamma_home"] in _OTHER_HOMES
            and pair["gamma_nhs_number"] == -1
            and pair["gamma_middle_name"] <= 0
            and pair["gamma_dob"] >= 1
        ):
            return False
        if same_register(str(pair["record_id_l"]), str(pair["record_id_r"])):
            return True
        if pair["gamma_home"] != 0:
            return False
        left, right = postcode_area(pair["postcode_l"]), postcode_area(pair["postcode_r"])
    except KeyError:
        return False
    return left is not None and right is not None and left != right


def namesake_mask(pairs: pd.DataFrame) -> pd.Series:
    """``namesake_only`` for every pair of a scored frame."""
    needed = {"gamma_home", "gamma_nhs_number", "gamma_middle_name", "gamma_dob", "postcode_l"}
    if pairs.empty or not needed <= set(pairs.columns):
        return pd.Series(False, index=pairs.index)
    rough = (
        pairs["gamma_home"].isin(_OTHER_HOMES)
        & (pairs["gamma_nhs_number"] == -1)
        & (pairs["gamma_middle_name"] <= 0)
        & (pairs["gamma_dob"] >= 1)
    )
    candidates = pairs.loc[rough]
    far = [
        same_register(left, right)
        or (
            home == 0
            and (a := postcode_area(pl)) is not None
            and (b := postcode_area(pr)) is not None
            and a != b
        )
        for left, right, pl, pr, home in candidates[
            ["record_id_l", "record_id_r", "postcode_l", "postcode_r", "gamma_home"]
        ].itertuples(index=False)
    ]
    hits = set(candidates.index[far])
    return pd.Series([i in hits for i in pairs.index], index=pairs.index)


def register_namesakes(
    pairs: pd.DataFrame, namesakes: pd.Series | None = None
) -> list[tuple[str, str]]:
    """Namesake pairs (``namesake_mask``, or the mask already taken of ``pairs``) whose two
    records are in one agency's register: the agency holds two children there (one school or
    GP register does not keep a child twice at two homes), so they are cannot-link, and no
    third record can chain them together."""
    hits = pairs.loc[namesake_mask(pairs) if namesakes is None else namesakes]
    return [
        (left, right)
        for left, right in zip(hits["record_id_l"], hits["record_id_r"], strict=True)
        if same_register(left, right)
    ]


def namesake_holds(pairs: pd.DataFrame, namesakes: pd.Series) -> list[tuple[str, str]]:
    """Every namesake pair as cannot-link (they stay reviewable): only name and date of birth
    support it, so no third record that carries no home (a GP record without an address,
    matching both children on name and date alone) may chain the two together either."""
    held = pairs.loc[namesakes]
    return list(zip(held["record_id_l"], held["record_id_r"], strict=True))


def dob_guard_since(under_age: int | None, today: date | None = None) -> str | None:
    """The earliest date of birth (YYYY-MM-DD) of someone under ``under_age`` today: the
    date-of-birth guard holds where either record's date is on or after it (``None``: always).
    """
    if under_age is None:
        return None
    day = today or datetime.now(UTC).date()
    try:
        since = day.replace(year=day.year - under_age)
    except ValueError:  # 29 February in a year that has none
        since = day.replace(year=day.year - under_age, day=28)
    return since.isoformat()


def _unexplained_dates(a: object, b: object, since: str | None) -> bool:
    """Two dates of birth at guard level 0 that no slip explains (nor the same day and month)
    and, with ``since``, at least one of them a child's or a young adult's (``dob_guard_since``).
    Dates are compared as text, so a date that is not a real date (1972-95-18) still counts."""
    if not (isinstance(a, str) and isinstance(b, str)) or a[5:] == b[5:]:
        return False
    return since is None or max(a, b) >= since


def _present(value: object) -> bool:
    return not (value is None or value is pd.NA or (isinstance(value, float) and value != value))


def must_differ(
    pair: Mapping[str, Any],
    twin_guard: bool,
    differing_nhs: bool,
    dob_guard: bool = False,
    dob_guard_since: str | None = None,
) -> bool:
    """``automatic_cannot_links`` for one scored pair (the real-time path: a few pairs, where
    pandas' per-call cost would be most of the time). A test holds the two to one answer."""
    if twin_guard:
        g_first = pair["gamma_first_name"]
        household = pair["gamma_surname"] >= 3 or pair["gamma_home"] >= 5
        if pair["gamma_dob"] >= 1 and household:
            if 0 <= g_first <= _SHORT_FORM_LEVEL and same_register(
                str(pair["record_id_l"]), str(pair["record_id_r"])
            ):
                return True
            if 0 <= g_first <= _SHORT_FORM_LEVEL and _different_first_names(
                g_first,
                pair["first_name_l"],
                pair["first_name_r"],
                pair["surname_l"],
                pair["surname_r"],
                pair["first_name_dm_l"],
                pair["first_name_dm_r"],
            ):
                return True
            if "sex_l" in pair and 0 <= g_first <= 5:
                sex_l, sex_r = pair["sex_l"], pair["sex_r"]
                if _present(sex_l) and _present(sex_r) and sex_l != sex_r:
                    return True
            if "middle_name_l" in pair:
                m_l, m_r = pair["middle_name_l"], pair["middle_name_r"]
                if _present(m_l) and _present(m_r) and _far(m_l, m_r):
                    return True
    if dob_guard and "dob_l" in pair and pair["gamma_dob"] == 0:
        if _unexplained_dates(pair["dob_l"], pair["dob_r"], dob_guard_since):
            return True
    return bool(differing_nhs and "gamma_nhs_number" in pair and pair["gamma_nhs_number"] == 0)
