"""Identity services: link records into children and keep their references stable.

These are what the CLI (and later the API and the store's ``identity link``) call. Storage is
reached only through ``IdentityRepository``; Splink only through ``LinkageEngine``.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from safeguard.analytics.linkage_engine import STD_TABLE, Engine, LinkageEngine, UnreadableFile
from safeguard.analytics.linkage_model import LinkageSettings, load_linkage_settings
from safeguard.analytics.standardise import (
    INPUT_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    UK_POSTCODE,
    standardised_dob_sql,
)
from safeguard.domain.identity import ReviewDecision, ReviewItem
from safeguard.domain.spreadsheet import safe_frame
from safeguard.identity.clustering import (
    automatic_cannot_links,
    constrained_clusters,
    dob_guard_since,
    namesake_holds,
    namesake_mask,
    register_namesakes,
)
from safeguard.identity.ports import IdentityRepository, InMemoryIdentityRepository
from safeguard.identity.stable import Reassignment, reassign

Progress = Callable[[str], None]


class InputError(ValueError):
    """The cluster input cannot be used; the message says what and where."""


@dataclass(frozen=True)
class ClusterSummary:
    """What ``identity cluster`` did, with what it could not use and how training fell back."""

    records: int
    children: int
    pairs: int
    notes: list[str]


@dataclass
class LinkResult:
    """One linkage run: the clusters, the pairs behind them and the trained model."""

    clusters: dict[str, str]
    pairs: pd.DataFrame
    model_json: str
    timings: dict[str, float] = field(default_factory=dict)
    #: Pairs a guard (twin, date of birth, NHS number) already decided are different children:
    #: nobody needs to review them.
    decided_apart: set[frozenset[str]] = field(default_factory=set)
    #: ``namesake_mask(pairs)`` as linking took it (``None``: the namesake guard was off).
    namesakes: pd.Series | None = None


def decision_links(
    decisions: Iterable[ReviewDecision],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Must-link and cannot-link pairs from reviewer decisions (the latest per pair wins)."""
    latest: dict[frozenset[str], ReviewDecision] = {}
    for d in sorted(decisions, key=lambda d: d.decided_at):
        latest[frozenset((d.record_id_l, d.record_id_r))] = d
    must = [(d.record_id_l, d.record_id_r) for d in latest.values() if d.decision == "same"]
    cannot = [(d.record_id_l, d.record_id_r) for d in latest.values() if d.decision == "not_same"]
    return must, cannot


def link_records(
    engine: LinkageEngine,
    decisions: Iterable[ReviewDecision] = (),
    settings: LinkageSettings | None = None,
    progress: Progress | None = None,
) -> LinkResult:
    """Train a model on the loaded records (no labels), score blocked pairs and cluster them."""
    s = settings or load_linkage_settings()
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    say("standardising records")
    engine.prepare()
    timings["standardise"] = time.perf_counter() - start
    say("training the model (u by random sampling, m by EM)")
    model_json = engine.train(s)
    timings["train"] = time.perf_counter() - start - sum(timings.values())
    say("scoring blocked pairs")
    pairs = engine.predict_pairs(s.retrieve_probability)
    timings["predict"] = time.perf_counter() - start - sum(timings.values())
    say(f"clustering {len(pairs):,} scored pairs")
    must, cannot = decision_links(decisions)
    guarded = automatic_cannot_links(
        pairs,
        s.twin_guard,
        s.differing_nhs_is_cannot_link,
        dob_guard=s.dob_guard,
        lone_names_from=s.cluster_probability if s.lone_name_is_error else None,
        dob_guard_since=dob_guard_since(s.dob_guard_under_age),
    )
    merging, namesakes = pairs, None
    if s.namesake_guard:
        namesakes = namesake_mask(pairs)  # taken once: it walks every candidate pair
        guarded += register_namesakes(pairs, namesakes)
        # A pair that only name and date of birth support is no reason to merge (it is queued
        # for review instead), neither directly nor through a third record that carries no
        # home (a GP record without an address matches both namesakes on name and date alone).
        merging = pairs.loc[~namesakes]
        cannot += namesake_holds(pairs, namesakes)
    cannot += guarded
    ids = engine.query(f"SELECT record_id FROM {STD_TABLE}")["record_id"].tolist()
    clusters = constrained_clusters(ids, merging, s.cluster_probability, must, cannot)
    timings["cluster"] = time.perf_counter() - start - sum(timings.values())
    decided = {frozenset(p) for p in guarded}
    return LinkResult(clusters, pairs, model_json, timings, decided, namesakes)


def review_items(result: LinkResult, settings: LinkageSettings | None = None) -> list[ReviewItem]:
    """What a reviewer is asked: uncertain pairs (review ≤ p < join, and namesakes) whose records
    ended in different children, one item per pair of children (its strongest pair: deciding it
    decides the two children), and none for two children a guard already keeps apart (a twin,
    date-of-birth or NHS-number guard between any of their records: "same" could not merge them).
    """
    s = settings or load_linkage_settings()
    p = result.pairs
    in_band = (p["match_probability"] >= s.review_probability) & (
        p["match_probability"] < s.join_probability
    )
    band = p.loc[in_band]
    if s.namesake_guard:
        mask = namesake_mask(p) if result.namesakes is None else result.namesakes
        band = p.loc[in_band | (mask & (p["match_probability"] >= s.review_probability))]
    clusters = result.clusters
    kept_apart = {
        frozenset(clusters[r] for r in pair)
        for pair in result.decided_apart
        if all(r in clusters for r in pair)
    }
    strongest: dict[frozenset[str], ReviewItem] = {}
    for a, b, prob, w in band[
        ["record_id_l", "record_id_r", "match_probability", "match_weight"]
    ].itertuples(index=False):
        children = frozenset((clusters[a], clusters[b]))
        if len(children) == 1 or children in kept_apart:
            continue
        item = ReviewItem(str(a), str(b), float(prob), float(w))
        held = strongest.get(children)
        # Ties (one comparison pattern, one probability) go to the smaller ids, so a re-link of
        # the same records asks about the same pair whatever order the engine returned them in.
        if held is None or _rank(item) < _rank(held):
            strongest[children] = item
    return list(strongest.values())


def _rank(item: ReviewItem) -> tuple[float, tuple[str, str]]:
    low, high = sorted((item.record_id_l, item.record_id_r))
    return -item.match_probability, (low, high)


#: References a re-link takes from the serial at a time: a first link of 1,000,000 children
#: issues hundreds of thousands, one UPDATE each was minutes on PostgreSQL. The unused rest of
#: the last block is never issued (a gap in the serials, never a reuse).
REF_BLOCK = 1000


def _in_blocks(repo: IdentityRepository) -> Callable[[], str]:
    """``next_child_ref`` served from blocks of ``REF_BLOCK`` reserved at once."""
    pending: deque[str] = deque()

    def take() -> str:
        if not pending:
            pending.extend(repo.next_child_refs(REF_BLOCK))
        return pending.popleft()

    return take


def relink(
    repo: IdentityRepository, engine: LinkageEngine, progress: Progress | None = None
) -> Reassignment:
    """Re-link every record in the store, keeping every existing reference (``identity link``)."""
    engine.load_frame(repo.load_records())
    result = link_records(engine, repo.load_decisions(), progress=progress)
    repo.save_model(result.model_json)
    outcome = reassign(
        repo.load_assignments(), result.clusters, _in_blocks(repo), repo.load_aliases()
    )
    repo.save_assignments(outcome.assignment)
    repo.add_aliases(outcome.aliases)
    repo.add_events(outcome.events)
    repo.queue_for_review(review_items(result))
    return outcome


def check_input(engine: LinkageEngine, columns: list[str], name: str) -> tuple[int, list[str]]:
    """What the model can use of an input: (records, notes). Only what makes the file unusable
    is refused (no required column, an id twice); a value the model cannot read is unknown or
    compared as text, and counted in the notes."""
    by_key = {c.strip().lower(): c for c in columns}
    for wanted in INPUT_COLUMNS:
        actual = by_key.get(wanted)
        if actual is not None and actual != wanted:
            engine.query(f'ALTER TABLE sg_raw RENAME COLUMN "{actual}" TO {wanted}')
    missing = [c for c in REQUIRED_COLUMNS if c not in by_key]
    if missing:
        raise InputError(
            f"{name} lacks the column(s) {', '.join(missing)}; the input needs "
            f"{', '.join(REQUIRED_COLUMNS)} (and may have {', '.join(OPTIONAL_COLUMNS)})."
        )
    dup = engine.query(
        "SELECT record_id, count(*) AS n FROM sg_raw GROUP BY 1 HAVING n > 1 LIMIT 1"
    )
    if len(dup):
        raise InputError(
            f"{name} has record_id {dup.iloc[0, 0]!r} more than once; ids must be unique."
        )
    records = int(engine.query("SELECT count(*) AS n FROM sg_raw")["n"].tolist()[0])
    return records, _unusable_values(engine, by_key)


def _unusable_values(engine: LinkageEngine, present: dict[str, str]) -> list[str]:
    """What the model treats as unknown or compares only as text, counted in words."""
    dob = standardised_dob_sql("nullif(trim(CAST(dob AS VARCHAR)), '')")
    counts = engine.query(
        f"SELECT count(*) FILTER (WHERE d IS NOT NULL AND try_strptime(d, '%Y-%m-%d') IS NULL)"
        f" AS bad_dob, count(*) FILTER (WHERE d IS NULL) AS no_dob FROM (SELECT {dob} AS d "
        "FROM sg_raw)"
    ).iloc[0]
    out = [
        (int(counts["bad_dob"]), "dates of birth could not be read as dates; compared as text"),
        (int(counts["no_dob"]), "records have no date of birth"),
    ]
    if "postcode" in present:
        foreign = engine.query(
            "SELECT count(*) AS n FROM (SELECT upper(regexp_replace(coalesce(CAST(postcode AS "
            "VARCHAR), ''), '[^A-Za-z0-9]', '', 'g')) AS pc FROM sg_raw) "
            f"WHERE pc <> '' AND NOT regexp_full_match(pc, '{UK_POSTCODE}')"
        )["n"].tolist()[0]
        out.append(
            (int(foreign), "postcodes are not UK postcodes; compared whole, with no district")
        )
    notes = [f"{n:,} {what}" for n, what in out if n]
    for column in ("sex", "postcode"):
        if column not in present:
            notes.append(f"the file has no {column} column; it is unknown for every record")
    return notes


#: Optional input column naming the agency or system each record came from (its register).
SOURCE_COLUMN = "source"


def _registers(engine: LinkageEngine, columns: list[str]) -> dict[str, str]:
    """With a ``source`` column, give each record the internal id ``source/record_id`` (the
    guards read one register from the part before "/", ``clustering.same_register``); returns
    internal id → the file's record_id. Records with a blank source keep their id."""
    actual = next((c for c in columns if c.strip().lower() == SOURCE_COLUMN), None)
    if actual is None:
        return {}
    engine.query(
        f"CREATE OR REPLACE TABLE sg_raw AS SELECT * REPLACE (CASE WHEN nullif(trim(CAST("
        f'"{actual}" AS VARCHAR)), \'\') IS NULL THEN record_id ELSE trim(CAST("{actual}" AS '
        "VARCHAR)) || '/' || record_id END AS record_id), record_id AS __sg_original FROM sg_raw"
    )
    ids = engine.query("SELECT record_id, __sg_original FROM sg_raw")
    return dict(zip(ids["record_id"], ids["__sg_original"], strict=True))


def cluster_file(
    input_path: Path,
    output_path: Path,
    engine_name: Engine = "duckdb",
    progress: Progress | None = None,
) -> ClusterSummary:
    """``safeguard identity cluster``: give every record a child reference, from files alone."""
    if not input_path.is_file():
        raise InputError(f"{input_path} does not exist; give a CSV or Parquet file of records.")
    engine = LinkageEngine(engine_name)
    try:
        columns = engine.load_file(input_path)
    except UnreadableFile as exc:
        raise InputError(str(exc)) from None
    records, notes = check_input(engine, columns, str(input_path))
    if records == 0:
        raise InputError(f"{input_path} holds no records; give one row per person record.")
    original = _registers(engine, columns)
    repo = InMemoryIdentityRepository()
    result = link_records(engine, progress=progress)
    notes += engine.training_notes
    outcome = reassign({}, result.clusters, repo.next_child_ref)
    assignment = {original.get(k, k): v for k, v in outcome.assignment.items()}
    out = pd.DataFrame(sorted(assignment.items()), columns=["record_id", "child_ref"])
    if output_path.suffix.lower() in {".parquet", ".pq"}:
        out.to_parquet(output_path, index=False)
    else:
        safe_frame(out).to_csv(output_path, index=False)
    return ClusterSummary(records, int(out["child_ref"].nunique()), len(result.pairs), notes)
