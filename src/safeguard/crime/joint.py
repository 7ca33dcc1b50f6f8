"""Primary and secondary suppression solved jointly over every linked table of the return.

Primary: every cell (interior or total, in any table) with a count from 1 to threshold - 1.
Secondary: the attacker of ``cube`` (HiGHS MILP over all tables' margins and the ethnic-group
hierarchy) computes each withheld cell's tightest interval; while some withheld cell that could
be small is not open over [0, threshold], one more cell sharing a margin with it is withheld
(an interior cell before a total, a cell of at least the threshold before a smaller one, the
smallest such), and the attack repeats. Suppression only grows, so this ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from safeguard.crime.cube import Key, System, protected_enough

Equation = tuple[list[Key], Key]


def attack(
    values: Mapping[Key, int],
    withheld: set[Key],
    equations: Sequence[Equation],
    cells: set[Key] | None = None,
    bands: Mapping[Key, tuple[Key, int]] | None = None,
) -> dict[Key, tuple[float, float]]:
    """Each withheld cell's (or each of ``cells``') interval given the published cells and
    the margins. A cell in ``bands`` (key -> (base, decimals)) is published only as a rounded
    percentage of its base, so the attacker knows it within that rounding."""
    bands = bands or {}
    system = System()
    for k, v in values.items():
        system.var(k)
        if k in withheld:
            continue
        if k in bands:
            base, decimals = bands[k]
            n = values[base]
            if n and k not in withheld:
                p = round(100 * v / n, decimals)
                half = 0.5 * 10**-decimals
                system.add({k: 1.0}, (p - half) * n / 100 - 1e-9, (p + half) * n / 100 + 1e-9)
        else:
            system.fix(k, float(v))
    for parts, total in equations:
        system.add_sum(parts, total)
    return {k: system.interval({k: 1.0}) for k in sorted(withheld if cells is None else cells)}


def _nearest_published(
    start: Key, neighbours: Mapping[Key, set[Key]], withheld: set[Key]
) -> list[Key]:
    """The published cells nearest ``start`` through margins of withheld cells: those sharing
    a margin with it, else with a withheld cell that shares one with it, and so on."""
    seen, layer = {start}, {start}
    while layer:
        nxt = {n for c in layer for n in neighbours.get(c, set())} - seen
        found = [c for c in nxt if c not in withheld]
        if found:
            return found
        seen |= nxt
        layer = nxt
    return []


def protect_jointly(
    values: Mapping[Key, int],
    equations: Sequence[Equation],
    threshold: int,
    totals: set[Key],
    together: Sequence[Equation] = (),
    bands: Mapping[Key, tuple[Key, int]] | None = None,
    max_rounds: int = 200,
) -> set[Key]:
    """The set of withheld cells (see module docstring). For each (parts, base) of
    ``together`` the parts are published only together and only beside their base (a
    percentage shows its stated count only beside its not-stated count and its base)."""
    partners: dict[Key, set[Key]] = {}
    for parts, base in together:
        for k in [*parts, base]:
            partners.setdefault(k, set()).update(parts)

    def close(cells: set[Key]) -> set[Key]:
        return cells.union(*(partners.get(k, set()) for k in cells))

    withheld = close({k for k, v in values.items() if 0 < v < threshold})
    neighbours: dict[Key, set[Key]] = {}
    for parts, total in equations:
        group = {*parts, total}
        for k in group:
            neighbours.setdefault(k, set()).update(group - {k})
    # withholding more only widens every interval, so a cell once open over [0, threshold]
    # stays open: each round re-attacks only the others (a cell pinned far from the small
    # values may be widened into them by a later suppression)
    opened: set[Key] = set()
    for _ in range(max_rounds):
        # a banded cell is known only within its rounding: checked like a withheld one
        check = (withheld | set(bands or {})) - opened
        if not check:
            return withheld
        weak = []
        for k, (lo, hi) in attack(values, withheld, equations, check, bands).items():
            if lo <= 0 and hi >= threshold:
                opened.add(k)
            elif not protected_enough(lo, hi, threshold):
                weak.append(k)
        if not weak:
            return withheld
        before = set(withheld)
        for k in weak:
            candidates = _nearest_published(k, neighbours, withheld)
            if not candidates:
                continue
            withheld.add(
                min(
                    candidates,
                    key=lambda c: (c in totals, values[c] < threshold, values[c], c),
                )
            )
        withheld = close(withheld)
        if withheld == before:
            # nothing left to withhold beside the weak cells: withhold everything linked
            return set(values)
    raise RuntimeError("secondary suppression did not settle")
