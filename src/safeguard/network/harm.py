"""Harm ranking: offenders, groups and victims by a Crime Harm Index style score, explained.

An offender's score is the sum over the crimes they are a suspect in of the offence's harm
weight (indicative sentencing starting points in days, data/harm_weights.csv) decayed by age
(half-life from data/network_rules.yaml), plus a small fixed amount per other offending-side
event. Frequency and the number of victims enter through the sum. Nothing else is read: the
features are exactly HARM_FEATURES, none of them protected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from safeguard.network.graph import IntArray, PoleGraph, from_day
from safeguard.network.groups import Group, offender_side, victim_side
from safeguard.network.rules import NetworkRules

#: Everything the ranking reads, per person (tests check none is in PROTECTED_FIELDS).
HARM_FEATURES = (
    "crimes",
    "victims",
    "harm_days",
    "recency_weighted_days",
    "intelligence_events",
    "latest",
)


@dataclass(frozen=True)
class HarmEntry:
    """One ranked person (offender or victim) with the figures that explain the score."""

    person: int
    rank: int
    score: float
    crimes: int
    victims: int
    harm_days: float
    recency_weighted_days: float
    intelligence_events: int
    latest: str
    top_offence: str

    def explanation(self) -> str:
        return (
            f"{self.crimes} crime(s) against {self.victims} victim(s) worth "
            f"{self.harm_days:,.0f} harm-days ({self.recency_weighted_days:,.0f} after recency "
            f"decay), most harmful offence {self.top_offence or 'none'}, plus "
            f"{self.intelligence_events} intelligence event(s); latest {self.latest}"
        )


def _crime_rows(g: PoleGraph, rules: NetworkRules, side: np.ndarray) -> tuple[pd.DataFrame, float]:
    offence_keys = g.offences.keys()
    days_by_code = np.array(
        [rules.harm_days.get(str(k), 0.0) for k in offence_keys] + [0.0], dtype=float
    )
    frame = pd.DataFrame({"person": g.p_person[side], "event": g.p_event[side]})
    off_code = g.ev_offence[frame["event"].to_numpy()]
    frame["harm"] = days_by_code[off_code]  # -1 picks the trailing 0.0
    frame["code"] = np.where(off_code >= 0, off_code, -1)
    frame["day"] = g.ev_day[frame["event"].to_numpy()]
    as_of = float(g.ev_day.max()) if g.n_events else 0.0
    frame["decayed"] = frame["harm"] * 0.5 ** ((as_of - frame["day"]) / rules.half_life_days)
    return frame, as_of


def rank_offenders(g: PoleGraph, rules: NetworkRules) -> list[HarmEntry]:
    """Every offending-side person, most harmful first (ties by person code)."""
    off = offender_side(g, rules)
    frame, _ = _crime_rows(g, rules, off)
    vic = victim_side(g, rules, off)
    victims = pd.DataFrame({"victim": g.p_person[vic], "event": g.p_event[vic]})
    return _rank(g, rules, frame, victims, "victim")


def rank_victims(g: PoleGraph, rules: NetworkRules) -> list[HarmEntry]:
    """Most harmed victims first: the harm of the crimes against them (the MVMO's other half)."""
    off = offender_side(g, rules)
    vic = victim_side(g, rules, off)
    crimes_with_offender = np.unique(g.p_event[off])
    vic &= np.isin(g.p_event, crimes_with_offender)
    frame, _ = _crime_rows(g, rules, vic)
    offenders = pd.DataFrame({"victim": g.p_person[off], "event": g.p_event[off]})
    return _rank(g, rules, frame, offenders, "offender")


def _rank(
    g: PoleGraph, rules: NetworkRules, frame: pd.DataFrame, others: pd.DataFrame, _: str
) -> list[HarmEntry]:
    if frame.empty:
        return []
    crimes = frame[frame["harm"] > 0]
    intel = frame[frame["harm"] <= 0]
    per = pd.DataFrame(index=pd.Index(np.unique(frame["person"]), name="person"))
    per["crimes"] = crimes.groupby("person").size()
    per["harm_days"] = crimes.groupby("person")["harm"].sum()
    per["recency"] = crimes.groupby("person")["decayed"].sum()
    per["intel"] = intel.groupby("person").size()
    per["latest"] = frame.groupby("person")["day"].max()
    top = crimes.sort_values(["harm", "day"], ascending=False).drop_duplicates("person")
    per["top"] = top.set_index("person")["code"]
    linked = frame[["person", "event"]].merge(others, on="event")
    linked = linked[linked["person"] != linked["victim"]]
    per["victims"] = linked.groupby("person")["victim"].nunique()
    per = per.fillna(
        {"crimes": 0, "harm_days": 0.0, "recency": 0.0, "intel": 0, "victims": 0, "top": -1}
    )
    per["score"] = per["recency"] + per["intel"] * rules.intelligence_event_days
    per = per.reset_index().sort_values(["score", "person"], ascending=[False, True])
    offence_keys = g.offences.keys()
    cols = {c: per[c].to_numpy() for c in per.columns}
    out: list[HarmEntry] = []
    for i in range(len(per)):
        top_code = int(cols["top"][i])
        out.append(
            HarmEntry(
                person=int(cols["person"][i]),
                rank=i + 1,
                score=round(float(cols["score"][i]), 1),
                crimes=int(cols["crimes"][i]),
                victims=int(cols["victims"][i]),
                harm_days=float(cols["harm_days"][i]),
                recency_weighted_days=round(float(cols["recency"][i]), 1),
                intelligence_events=int(cols["intel"][i]),
                latest=from_day(int(cols["latest"][i])).isoformat(),
                top_offence="" if top_code < 0 else str(offence_keys[top_code]),
            )
        )
    return out


@dataclass(frozen=True)
class GroupHarm:
    group: Group
    score: float
    top_member: int


def rank_groups(groups: list[Group], offenders: list[HarmEntry]) -> list[GroupHarm]:
    """Groups by the summed harm of their members (ties by group id)."""
    score = {e.person: e.score for e in offenders}
    ranked = []
    for group in groups:
        members = sorted(group.members, key=lambda m: (-score.get(m, 0.0), m))
        ranked.append(
            GroupHarm(group, round(sum(score.get(m, 0.0) for m in members), 1), members[0])
        )
    ranked.sort(key=lambda x: (-x.score, x.group.group_id))
    return ranked


def members_rank(entries: list[HarmEntry], persons: IntArray) -> list[int]:
    """Ranks of the given persons in a harm list (missing persons are not listed)."""
    rank = {e.person: e.rank for e in entries}
    return [rank[p] for p in persons.tolist() if p in rank]
