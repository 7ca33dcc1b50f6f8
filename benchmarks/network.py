"""Networks: quality of the groups and the harm list against synthetic truth, and scale.

    python -m benchmarks.network [--sizes 10000,100000] [--events 10000000] [--only quality|scale]

Quality: a synthetic region (``generate_region``, seed 1) is ingested into a fresh SQLite store
through the normal ingest service, and the network service builds the graph, the groups and the
harm list from the store exactly as the API does. Store persons are mapped to true persons
through the agencies' records and truth/record_person.csv (majority when a store person holds
records of several true people). Found groups are compared with truth/groups.csv (offenders of
multi-offender scenarios): a found group matches a true group when Jaccard >= 0.5.

Scale: events made directly with numpy (not through ingest), with planted rings among a
background of everyday events and one-off offenders; the POLE graph is built and the groups
and ranking computed. Each part runs in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks.machine import machine_line, peak_rss_mib


def quality(children: int, seed: int, workdir: Path) -> dict[str, object]:
    from sqlalchemy import select

    from benchmarks.network_evaluation import adjusted_rand_index, match_groups
    from safeguard.bootstrap import bootstrap
    from safeguard.config import Settings
    from safeguard.ingest.files import ingest_jobs, submit_job
    from safeguard.network.groups import offender_side
    from safeguard.store.tables import source_records
    from safeguard.synth import generate_region

    region = workdir / f"region-{children}"
    generate_region(region, children, seed)
    platform = bootstrap(
        Settings(database_url=f"sqlite:///{workdir}/net-{children}.db", environment="test")
    )
    start = time.perf_counter()
    for job in ingest_jobs(region, None, None):
        submit_job(platform.ingest, job)
    ingest_s = time.perf_counter() - start
    start = time.perf_counter()
    analysis = platform.network.analysis()
    network_s = time.perf_counter() - start
    graph = platform.network.graph

    truth_of_record: dict[tuple[str, str], str] = {}
    with open(region / "truth" / "record_person.csv", newline="") as f:
        for row in csv.DictReader(f):
            truth_of_record[(row["agency"], row["local_id"])] = row["person_id"]
    votes: dict[str, Counter[str]] = {}
    with platform.uow() as uow:
        query = select(
            source_records.c.person_id, source_records.c.agency_code, source_records.c.local_id
        ).where(source_records.c.is_current)
        for pid, agency, local in uow.connection.execute(query):
            votes.setdefault(pid, Counter())[truth_of_record[(agency, local)]] += 1
    true_of = {pid: c.most_common(1)[0][0] for pid, c in votes.items()}
    true_group: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    with open(region / "truth" / "groups.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["group_id"]:
                true_group[row["person_id"]] = row["group_id"]
                members.setdefault(row["group_id"], set()).add(row["person_id"])

    keys = graph.persons.keys()
    found = [{true_of[str(keys[m])] for m in g.group.members} for g in analysis.groups]
    match = match_groups(found, list(members.values()))
    offending = np.unique(graph.p_person[offender_side(graph, platform.network.rules)])
    visible_true = Counter(
        true_group[true_of[str(keys[p])]] for p in offending if true_of[str(keys[p])] in true_group
    )
    visible = [members[g] for g, n in visible_true.items() if n >= 2]
    visible_match = match_groups(found, visible)

    found_label: dict[str, str] = {}
    for g, people in zip(analysis.groups, found, strict=True):
        for p in people:
            found_label.setdefault(p, g.group.group_id)
    people = sorted({true_of[str(keys[p])] for p in offending})
    ari = adjusted_rand_index(
        [true_group.get(p, f"solo:{p}") for p in people],
        [found_label.get(p, f"solo:{p}") for p in people],
    )
    ranks = [e.rank for e in analysis.offenders if true_of[str(keys[e.person])] in true_group]
    n = len(analysis.offenders)
    top = analysis.offenders[: max(1, n // 10)]
    top_share = sum(1 for e in top if true_of[str(keys[e.person])] in true_group) / len(top)
    platform.close()
    return {
        "children": children,
        "events": graph.n_events,
        "suspects": analysis.result.suspects,
        "true_groups": len(members),
        "visible_groups": len(visible),
        "found_groups": len(found),
        "precision": round(match.precision, 3),
        "recall": round(match.recall, 3),
        "recall_visible": round(visible_match.recall, 3),
        "ari": round(ari, 3),
        "median_rank_true_members": statistics.median(ranks) if ranks else None,
        "median_rank_all": (n + 1) / 2,
        "true_share_top_decile": round(top_share, 3),
        "ingest_s": round(ingest_s, 1),
        "graph_groups_harm_s": round(network_s, 2),
        "peak_rss_mib": round(peak_rss_mib()),
    }


def synthetic_events(n_events: int, seed: int = 1) -> tuple[object, int, list[set[int]]]:
    """Columns of ``n_events`` events: 85% everyday (one child), 10% one-off offences or
    intelligence (one or two adults, a child, sometimes an object), 5% crimes of planted rings
    (2-4 of a ring's 3-8 offenders, one of its victims, its phones and its place)."""
    from safeguard.network.graph import EventBatch

    rng = np.random.default_rng(seed)
    children, adults = max(1000, n_events * 3 // 10), max(1000, n_events // 30)
    postcodes = np.array([f"PC{i}" for i in range(max(1000, n_events // 6))], dtype=object)
    objects = np.array([f"phone:07{i:09d}" for i in range(max(1000, n_events // 10))], dtype=object)
    event_types = np.array(["missing_episode", "crime", "found_in_vehicle"], dtype=object)
    places = np.array(["home", "takeaway", "hotel", "other"], dtype=object)
    offences = np.array(["", "71", "19D", "22B", "88A"], dtype=object)

    n_ring_events = n_events // 20
    n_rings = max(1, n_ring_events // 25)
    ring_size = rng.integers(3, 9, n_rings)
    ring_start = np.concatenate([[0], np.cumsum(ring_size)[:-1]])
    ring_people = children + np.arange(int(ring_size.sum()))  # ring offenders: their own ids
    n_background = n_events - n_ring_events
    n_daily = n_background * 85 // 95

    day = rng.integers(19000, 20100, n_events)
    etype = np.zeros(n_events, dtype=np.int64)
    etype[n_daily:n_background] = rng.integers(1, 3, n_background - n_daily)
    etype[n_background:] = 1
    offence = np.where(etype == 1, rng.integers(1, 5, n_events), 0)
    place = rng.integers(0, 4, n_events)
    postcode = postcodes[rng.integers(0, len(postcodes), n_events)]

    # everyday: one child subject
    p_event = [np.arange(n_daily)]
    p_person = [rng.integers(0, children, n_daily)]
    p_role = [np.zeros(n_daily, dtype=np.int64)]  # subject
    # background offences: a child and one or two adults
    bg = np.arange(n_daily, n_background)
    p_event += [bg, bg]
    p_person += [
        rng.integers(0, children, len(bg)),
        children + len(ring_people) + rng.integers(0, adults, len(bg)),
    ]
    p_role += [np.full(len(bg), 1), np.full(len(bg), 2)]  # victim, suspect
    second = bg[rng.random(len(bg)) < 0.3]
    p_event.append(second)
    p_person.append(children + len(ring_people) + rng.integers(0, adults, len(second)))
    p_role.append(np.full(len(second), 3))  # associate
    with_obj = bg[rng.random(len(bg)) < 0.3]
    o_event = [with_obj]
    o_key = [objects[rng.integers(0, len(objects), len(with_obj))]]
    # ring crimes
    ring_events = np.arange(n_background, n_events)
    ring_of = rng.integers(0, n_rings, len(ring_events))
    ring_victims = rng.integers(0, children, (n_rings, 5))
    ring_place = postcodes[rng.integers(0, len(postcodes), n_rings)]
    postcode[ring_events] = ring_place[ring_of]
    p_event.append(ring_events)
    p_person.append(ring_victims[ring_of, rng.integers(0, 5, len(ring_events))])
    p_role.append(np.full(len(ring_events), 1))
    for k in range(4):
        take = rng.random(len(ring_events)) < (1.0 if k < 2 else 0.4)
        ev = ring_events[take]
        rings = ring_of[take]
        pick = ring_start[rings] + rng.integers(0, ring_size[rings])
        p_event.append(ev)
        p_person.append(ring_people[pick])
        p_role.append(np.full(len(ev), 2))
    ring_phone = rng.integers(0, len(objects), n_rings)
    o_event.append(ring_events)
    o_key.append(objects[ring_phone[ring_of]])

    roles = np.array(["subject", "victim", "suspect", "associate"], dtype=object)
    pe = np.concatenate(p_event)
    pp = np.concatenate(p_person)
    pr = np.concatenate(p_role)
    # a ring offender picked twice for the same event is one participant
    _, first = np.unique(pe * (children + len(ring_people) + adults) + pp, return_index=True)
    pe, pp, pr = pe[first], pp[first], pr[first]
    batch = EventBatch(
        event_id=np.arange(1, n_events + 1, dtype=np.int64),
        day=day,
        event_type=event_types[etype],
        offence_code=offences[offence],
        postcode=postcode,
        place_type=places[place],
        part_event=pe + 1,
        part_person=pp,
        part_role=roles[pr],
        obj_event=np.concatenate(o_event) + 1,
        obj_key=np.concatenate(o_key),
    )
    planted = [
        set(ring_people[s : s + z].tolist()) for s, z in zip(ring_start, ring_size, strict=True)
    ]
    return batch, len(pe), planted


def scale(n_events: int) -> dict[str, object]:
    from benchmarks.network_evaluation import match_groups
    from safeguard.network.graph import PoleGraph
    from safeguard.network.groups import find_groups
    from safeguard.network.harm import rank_offenders
    from safeguard.network.rules import load_rules

    start = time.perf_counter()
    batch, participants, planted = synthetic_events(n_events)
    make_s = time.perf_counter() - start
    rules = load_rules()
    start = time.perf_counter()
    graph = PoleGraph()
    graph.add_events(batch)  # type: ignore[arg-type]
    del batch
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    result = find_groups(graph, rules)
    groups_s = time.perf_counter() - start
    start = time.perf_counter()
    ranking = rank_offenders(graph, rules)
    harm_s = time.perf_counter() - start
    keys = graph.persons.keys()
    found = [{int(keys[m]) for m in g.members} for g in result.groups]
    # Background co-offenders form real (small) groups the generator did not plant, so only
    # the recall of the planted rings is meaningful here; precision is measured on the regions.
    match = match_groups(
        [{str(x) for x in f} for f in found], [{str(x) for x in p} for p in planted]
    )
    return {
        "events": graph.n_events,
        "participants": participants,
        "persons": len(graph.persons),
        "suspects": result.suspects,
        "linked_pairs": result.linked_pairs,
        "groups": len(result.groups),
        "planted_rings": len(planted),
        "planted_recall": round(match.recall, 3),
        "ranked": len(ranking),
        "make_s": round(make_s, 1),
        "graph_s": round(build_s, 1),
        "groups_s": round(groups_s, 1),
        "harm_s": round(harm_s, 1),
        "graph_and_groups_s": round(build_s + groups_s, 1),
        "peak_rss_mib": round(peak_rss_mib()),
    }


def _table(rows: list[dict[str, object]]) -> str:
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append(
            "| "
            + " | ".join(f"{r[c]:,}" if isinstance(r[c], int) else str(r[c]) for c in cols)
            + " |"
        )
    return "\n".join(lines)


def _child(args: list[str]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.network", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("quality", "scale"))
    parser.add_argument("--one-quality", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_quality:
        with tempfile.TemporaryDirectory(prefix="sg-net-") as tmp:
            print(json.dumps(quality(args.one_quality, args.seed, Path(tmp))))
        return
    if args.one_scale:
        print(json.dumps(scale(args.one_scale)))
        return
    print(machine_line())
    if args.only in (None, "quality"):
        rows = [
            _child(["--one-quality", s, "--seed", str(args.seed)]) for s in args.sizes.split(",")
        ]
        print("\nGroup and harm quality against synthetic truth\n")
        print(_table(rows))
    if args.only in (None, "scale"):
        print("\nScale: graph, groups and harm from numpy-made events\n")
        print(_table([_child(["--one-scale", str(args.events)])]))


if __name__ == "__main__":
    main()
