"""A small noisy-record generator with known truth, for tests and for benchmarks on demand.

It is not the synthetic region generator: it makes only person records, with the noise that
linkage must survive (typos, nicknames, swapped names, slipped dates, moves, missing NHS
numbers) and twins, so the identity capability can be tested on its own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pandas as pd

from safeguard.domain.nhs import nhs_check_digit

FIRST = {
    "F": [
        "olivia",
        "amelia",
        "isla",
        "ava",
        "mia",
        "ivy",
        "lily",
        "isabella",
        "rosie",
        "sophia",
        "grace",
        "freya",
        "ella",
        "evie",
        "aisha",
        "fatima",
        "maryam",
        "zara",
        "chloe",
        "jessica",
        "elizabeth",
        "katherine",
        "rebecca",
        "samantha",
        "victoria",
        "abigail",
        "hannah",
    ],
    "M": [
        "oliver",
        "george",
        "noah",
        "arthur",
        "leo",
        "harry",
        "oscar",
        "archie",
        "henry",
        "jack",
        "muhammad",
        "ali",
        "yusuf",
        "ibrahim",
        "thomas",
        "william",
        "james",
        "joshua",
        "daniel",
        "samuel",
        "benjamin",
        "alexander",
        "nicholas",
        "matthew",
        "christopher",
    ],
}
NICK = {
    "elizabeth": "beth",
    "katherine": "kate",
    "rebecca": "becky",
    "samantha": "sam",
    "victoria": "vicky",
    "abigail": "abby",
    "thomas": "tom",
    "william": "will",
    "james": "jim",
    "joshua": "josh",
    "daniel": "dan",
    "samuel": "sam",
    "benjamin": "ben",
    "alexander": "alex",
    "nicholas": "nick",
    "matthew": "matt",
    "christopher": "chris",
    "muhammad": "mohammed",
    "jessica": "jess",
    "harry": "harold",
}
SURNAMES = [
    "smith",
    "jones",
    "taylor",
    "brown",
    "williams",
    "wilson",
    "johnson",
    "davies",
    "patel",
    "khan",
    "hussain",
    "ahmed",
    "begum",
    "ali",
    "robinson",
    "wright",
    "thompson",
    "evans",
    "walker",
    "white",
    "roberts",
    "green",
    "hall",
    "wood",
    "jackson",
    "clarke",
    "kowalski",
    "nowak",
    "oconnor",
    "murphy",
    "okafor",
    "mensah",
    "singh",
    "kaur",
]
OUTWARD = ["S60", "S61", "S62", "S63", "S65", "OL11", "OL12", "OL16", "OL1", "OL8"]
STREETS = ["high street", "church road", "station road", "park avenue", "mill lane"]


@dataclass(frozen=True)
class NoisyRecords:
    """Records (cluster input columns) and their truth."""

    records: pd.DataFrame
    truth: dict[str, str]
    twin_pairs: list[tuple[str, str]]


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.choice(["swap", "drop", "sub"])
    if op == "swap":
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if op == "drop":
        return s[:i] + s[i + 1 :]
    return s[:i] + rng.choice("aeiouhnrst") + s[i + 1 :]


def _nhs(rng: random.Random) -> str:
    while True:
        nine = "".join(str(rng.randrange(10)) for _ in range(9))
        check = nhs_check_digit(nine)
        if check is not None:
            return nine + str(check)


def _letters(rng: random.Random) -> str:
    return "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))


def _child(rng: random.Random, cid: int) -> dict[str, str]:
    sex = rng.choice("MF")
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.05:
        surname = f"{surname}-{rng.choice(SURNAMES)}"
    return {
        "child": f"C{cid}",
        "first_name": rng.choice(FIRST[sex]),
        "middle_name": rng.choice(FIRST[sex]) if rng.random() < 0.4 else "",
        "surname": surname,
        "dob": f"{rng.randrange(2008, 2024)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        "sex": sex,
        "postcode": f"{rng.choice(OUTWARD)} {rng.randrange(1, 10)}{_letters(rng)}",
        "address": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
        "nhs_number": _nhs(rng),
    }


def _record(rng: random.Random, c: dict[str, str], nhs_rate: float) -> dict[str, str]:
    r = dict(c)
    roll = rng.random()
    if roll < 0.15:
        r["first_name"] = _typo(rng, r["first_name"])
    elif roll < 0.25 and r["first_name"] in NICK:
        r["first_name"] = NICK[r["first_name"]]
    if rng.random() < 0.12:
        r["surname"] = _typo(rng, r["surname"])
    if rng.random() < 0.03:
        r["first_name"], r["surname"] = r["surname"], r["first_name"]
    if rng.random() < 0.08:
        y, m, d = r["dob"].split("-")
        r["dob"] = f"{y}-{d}-{m}" if int(d) <= 12 else f"{y}-{m}-{int(d) % 9 + 10:02d}"
    if rng.random() < 0.2:
        r["postcode"] = f"{rng.choice(OUTWARD)} {rng.randrange(1, 10)}AB"
        r["address"] = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
    if rng.random() > nhs_rate:
        r["nhs_number"] = ""
    if rng.random() < 0.3:
        r["middle_name"] = ""
    return r


def noisy_children(
    n_children: int,
    records_per_child: int = 3,
    seed: int = 0,
    nhs_rate: float = 0.4,
    twin_rate: float = 0.05,
) -> NoisyRecords:
    """``n_children`` children with a few noisy records each; a share of them are twins."""
    rng = random.Random(seed)
    children: list[dict[str, str]] = []
    twins: list[tuple[str, str]] = []
    while len(children) < n_children:
        c = _child(rng, len(children))
        children.append(c)
        if rng.random() < twin_rate and len(children) < n_children:
            t = dict(c, child=f"C{len(children)}", nhs_number=_nhs(rng))
            t["sex"] = rng.choice("MF")
            t["first_name"] = rng.choice([n for n in FIRST[t["sex"]] if n != c["first_name"]])
            children.append(t)
            twins.append((c["child"], t["child"]))
    rows, truth = [], {}
    for c in children:
        for k in range(rng.randint(1, 2 * records_per_child - 1)):
            rid = f"{c['child']}-{k}"
            rows.append({"record_id": rid, **_record(rng, c, nhs_rate)})
            truth[rid] = c["child"]
    frame = pd.DataFrame(rows).drop(columns=["child"]).sample(frac=1.0, random_state=seed)
    return NoisyRecords(frame.reset_index(drop=True), truth, twins)
