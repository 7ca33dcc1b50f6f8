"""Extract first names and surnames per community from Faker's locales into packaged CSVs.

Run once (``python scripts/extract_names.py``) when Faker is upgraded; the generator reads the
CSVs, never Faker, so 1M children sample in seconds and output does not drift with Faker.
Curated lists (British children's names, British Muslim names) live in ``names_curated.csv``.
"""

from __future__ import annotations

import csv
import importlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import faker

DATA = Path(__file__).resolve().parent.parent / "src" / "safeguard" / "data"

# community -> (locales for first names, locales for surnames)
COMMUNITIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "british": (("en_GB",), ("en_GB",)),
    "irish": (("en_IE",), ("en_IE",)),
    "indian": (("en_IN",), ("en_IN",)),
    "chinese": (("zh_CN",), ("zh_CN",)),
    "african": (("en_KE", "yo_NG", "en_NG"), ("en_KE", "yo_NG", "en_NG")),
    "eastern_european": (("pl_PL", "ro_RO"), ("pl_PL", "ro_RO")),
}


def _weighted(names: Iterable[str] | Mapping[str, float]) -> list[tuple[str, float]]:
    """Faker's own weights when it has them (an OrderedDict), otherwise equal weights."""
    if isinstance(names, Mapping):
        return [(n, float(w)) for n, w in names.items()]
    return [(n, 1.0) for n in names]


def _provider(locale: str) -> type:
    return importlib.import_module(f"faker.providers.person.{locale}").Provider  # type: ignore[no-any-return]


def _first(locale: str, sex: str) -> list[tuple[str, float]]:
    p = _provider(locale)
    if locale == "zh_CN":
        return _weighted(p.first_romanized_names)
    return _weighted(p.first_names_male if sex == "M" else p.first_names_female)


def _last(locale: str) -> list[tuple[str, float]]:
    p = _provider(locale)
    if locale == "zh_CN":
        return _weighted(p.last_romanized_names)
    if locale == "pl_PL":
        return _weighted(p.unisex_last_names)
    return _weighted(p.last_names)


def _normalise(rows: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Each locale's weights sum to one, so a community mixes its locales equally."""
    total = sum(w for _, w in rows) or 1.0
    return [(n.strip(), w / total) for n, w in rows if n.strip().replace("-", "").isalpha()]


def main() -> None:
    header = (
        f"# source: Faker {faker.VERSION} person providers (locales per community in "
        "scripts/extract_names.py); weights are Faker's where it has them, else equal"
    )
    with open(DATA / "names_faker.csv", "w", newline="", encoding="utf-8") as f:
        f.write(header + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["community", "part", "sex", "name", "weight"])
        for community, (first_locales, last_locales) in COMMUNITIES.items():
            for sex in ("M", "F"):
                for loc in first_locales:
                    for name, wt in _normalise(_first(loc, sex)):
                        w.writerow([community, "first", sex, name, f"{wt:.6f}"])
            for loc in last_locales:
                for name, wt in _normalise(_last(loc)):
                    w.writerow([community, "last", "", name, f"{wt:.6f}"])


if __name__ == "__main__":
    main()
