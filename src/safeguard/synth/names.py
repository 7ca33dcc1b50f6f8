"""Name pools per community, read once from the packaged name files and sampled by weight.

A person's community follows their household's ONS 2021 ethnic group (the census category is the
only thing the generator knows about a household's background); names never feed back into
ethnicity, which agencies record separately.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from safeguard.domain.codes import read_data_csv

# ONS 2021 code -> (community, weight) mixture for naming. Reasoning in docs/synthetic-data.md.
COMMUNITY_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "1": (("muslim", 1.0),),
    "2": (("chinese", 1.0),),
    "3": (("indian", 0.85), ("muslim", 0.15)),
    "4": (("muslim", 1.0),),
    "5": (("indian", 0.5), ("muslim", 0.3), ("chinese", 0.2)),
    "6": (("african", 0.7), ("muslim", 0.3)),
    "7": (("british", 1.0),),
    "8": (("african", 0.5), ("british", 0.5)),
    "9": (("british", 0.6), ("muslim", 0.25), ("indian", 0.15)),
    "10": (("british", 0.6), ("african", 0.4)),
    "11": (("british", 1.0),),
    "12": (("british", 0.8), ("african", 0.1), ("muslim", 0.1)),
    "13": (("british", 1.0),),
    "14": (("irish", 0.7), ("british", 0.3)),
    "15": (("irish", 0.6), ("british", 0.4)),
    "16": (("eastern_european", 1.0),),
    "17": (("eastern_european", 0.7), ("british", 0.2), ("irish", 0.1)),
    "18": (("muslim", 1.0),),
    "19": (("muslim", 0.4), ("british", 0.3), ("indian", 0.2), ("chinese", 0.1)),
}
CHILD_BRITISH_SHARE = 0.75  # share of British-community children named from the baby-name list


@dataclass(frozen=True)
class Pool:
    """A weighted list of names with cumulative weights for fast sampling."""

    names: tuple[str, ...]
    cum: tuple[float, ...]

    def draw(self, rng: random.Random) -> str:
        return self.names[bisect(self.cum, rng.random() * self.cum[-1])]


def _pool(rows: list[tuple[str, float]]) -> Pool:
    return Pool(tuple(n for n, _ in rows), tuple(accumulate(w for _, w in rows)))


@dataclass(frozen=True)
class NamePools:
    """First-name pools by (community, sex) and surname pools by community."""

    first: dict[tuple[str, str], Pool]
    last: dict[str, Pool]
    community_choice: dict[str, Pool]

    def community(self, ons_code: str, rng: random.Random) -> str:
        return self.community_choice[ons_code].draw(rng)

    def first_name(self, community: str, sex: str, child: bool, rng: random.Random) -> str:
        sex = sex if sex in ("M", "F") else rng.choice(("M", "F"))
        if community == "british" and child and rng.random() < CHILD_BRITISH_SHARE:
            community = "british_child"
        return self.first[(community, sex)].draw(rng)

    def surname(self, community: str, rng: random.Random) -> str:
        return self.last[community].draw(rng)


@lru_cache(maxsize=1)
def load_name_pools() -> NamePools:
    """Read names_faker.csv and names_curated.csv once."""
    first: dict[tuple[str, str], list[tuple[str, float]]] = {}
    last: dict[str, list[tuple[str, float]]] = {}
    for file in ("names_faker.csv", "names_curated.csv"):
        for r in read_data_csv(file):
            item = (r["name"], float(r["weight"]))
            if r["part"] == "first":
                first.setdefault((r["community"], r["sex"]), []).append(item)
            else:
                last.setdefault(r["community"], []).append(item)
    choice = {
        code: Pool(tuple(c for c, _ in mix), tuple(accumulate(w for _, w in mix)))
        for code, mix in COMMUNITY_MIX.items()
    }
    return NamePools(
        first={k: _pool(v) for k, v in first.items()},
        last={k: _pool(v) for k, v in last.items()},
        community_choice=choice,
    )


@dataclass(frozen=True)
class NameVariants:
    """Short forms and transliteration variants, both directions, for the noise model."""

    nickname: dict[str, tuple[str, ...]]
    transliteration: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def load_name_variants() -> NameVariants:
    """Read name_variants.csv; transliterations apply both ways, nicknames only long to short."""
    nick: dict[str, list[str]] = {}
    trans: dict[str, list[str]] = {}
    for r in read_data_csv("name_variants.csv"):
        if r["kind"] == "nickname":
            nick.setdefault(r["name"], []).append(r["variant"])
        else:
            trans.setdefault(r["name"], []).append(r["variant"])
            trans.setdefault(r["variant"], []).append(r["name"])
    return NameVariants(
        nickname={k: tuple(v) for k, v in sorted(nick.items())},
        transliteration={k: tuple(dict.fromkeys(v)) for k, v in sorted(trans.items())},
    )
