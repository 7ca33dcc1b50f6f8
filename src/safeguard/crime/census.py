"""Census 2021 denominators for rates, by police 18+1 group (data/census2021_*).

Populations are the ONS 2021 usual residents by ethnic group per local authority (TS021);
the police 18+1 to ONS 2021 mapping is data/ethnicity_police_18plus1.csv (W9 covers ONS 16
Roma and 17 Other White). Children are TS007 residents aged 0-17 per LA, split across ethnic
groups in the proportions of all residents (the census table by age and ethnicity is not
shipped); docs/statistics.md states this caveat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from safeguard.domain.codes import CodeLists, read_data_csv


@dataclass(frozen=True)
class Census:
    residents: dict[str, dict[str, int]]  # la_code -> ONS code -> people
    children: dict[str, int]  # la_code -> residents aged 0-17

    def by_police_code(
        self, codes: CodeLists, las: Iterable[str], children: bool
    ) -> dict[str, float]:
        """Population of each police 18+1 code (NS excluded) summed over ``las``."""
        out: dict[str, float] = defaultdict(float)
        for la in las:
            groups = self.residents.get(la)
            if not groups:
                continue
            total = sum(groups.values())
            scale = self.children.get(la, 0) / total if children else 1.0
            for code, row in codes.ethnicity_police.extra.items():
                for ons in filter(None, row["ons2021_codes"].split(";")):
                    out[code] += groups.get(ons, 0) * scale
        return dict(out)

    def las(self) -> list[str]:
        return sorted(self.residents)


@lru_cache(maxsize=1)
def load_census() -> Census:
    residents: dict[str, dict[str, int]] = defaultdict(dict)
    children: dict[str, int] = {}
    for row in read_data_csv("census2021_ethnic_group_by_area.csv"):
        area, code = row["area_code"], row["ons2021_code"]
        if not area.startswith("E0"):  # local authorities only (not England, England and Wales)
            continue
        if code == "children_0_17":
            children[area] = int(row["population"])
        elif code.isdigit():
            residents[area][code] = int(row["population"])
    return Census(dict(residents), children)
