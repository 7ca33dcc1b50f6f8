"""Public shapes of the network endpoints (separate from the service's dictionaries)."""

from __future__ import annotations

from pydantic import BaseModel


class GroupSummaryPublic(BaseModel):
    group_id: str
    members: int
    victims: int
    evidence_items: int
    sexual_offence_members: int
    links: int
    harm: float
    top_member: str


class NetworkOverviewPublic(BaseModel):
    events: int
    persons: int
    suspects: int
    linked_pairs: int
    groups: list[GroupSummaryPublic]


class HarmRowPublic(BaseModel):
    rank: int
    ref: str
    label: str
    score: float
    crimes: int
    linked_people: int
    harm_days: float
    recency_weighted_days: float
    intelligence_events: int
    latest: str
    top_offence: str
    group_id: str | None
    explanation: str


class HarmPublic(BaseModel):
    offenders: list[HarmRowPublic]
    victims: list[HarmRowPublic]
    groups: list[GroupSummaryPublic]


class ChartNodePublic(BaseModel):
    id: str
    kind: str
    subtype: str
    label: str
    ref: str
    detail: str


class ChartEdgePublic(BaseModel):
    id: str
    source: str
    target: str
    kind: str
    date: str
    event_id: int
    evidence: str


class ChartPublic(BaseModel):
    nodes: list[ChartNodePublic]
    edges: list[ChartEdgePublic]


class EvidencePublic(BaseModel):
    kind: str
    item: str


class LinkPublic(BaseModel):
    a: str
    b: str
    weight: float
    evidence: list[EvidencePublic]


class VictimPublic(BaseModel):
    ref: str
    label: str


class GroupPublic(GroupSummaryPublic):
    member_list: list[HarmRowPublic]
    victim_list: list[VictimPublic]
    link_list: list[LinkPublic]
    chart: ChartPublic


class PersonNetworkPublic(BaseModel):
    ref: str
    label: str
    group_id: str | None
    harm: HarmRowPublic | None
    chart: ChartPublic
