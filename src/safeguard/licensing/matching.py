"""Fuzzy check of one applicant against the register, with the identity capability's keys.

Names are cleaned the way ``analytics.standardise`` cleans them and compared with its levels
(exact, shared nickname/formal form from the ``nicknames`` package, double metaphone,
Jaro-Winkler bands, first name used as middle name, names swapped; dates exact, day and month
transposed, one slip, same year and month). Candidates are blocked on the driving licence
number, on the date of birth and its transposed and one-off variants, and on both names'
phonetic keys with the birth year (the identity model's prediction blocking). The register is
held as numpy columns sorted by each blocking key, so a check touches only its blocks.

An exact driving licence number always wins: that candidate is returned first whatever its
name score. Ethnicity, nationality and immigration status are never read.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from jellyfish import damerau_levenshtein_distance, jaro_winkler_similarity

from safeguard.analytics.standardise import name_keys
from safeguard.licensing.dvla import normalise
from safeguard.licensing.settings import MatchWeights

_TITLES = re.compile(
    r"\b(mr|mrs|miss|ms|mstr|master|dr|rev|sir|lady|lord|jr|jnr|junior|sr|snr|senior|"
    r"ii|iii|iv|1st|2nd|3rd)\b"
)


@lru_cache(maxsize=400_000)
def clean_name(name: str | None) -> str:
    """``analytics.standardise``'s name cleaning in Python: lower, letters, no titles."""
    text = re.sub(r"[^a-z \-]", "", (name or "").strip().lower())
    text = re.sub(r"\s*-\s*", "-", _TITLES.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=200_000)
def _keys(name: str) -> tuple[str, frozenset[str]]:
    """Double-metaphone key and nickname/formal forms (``analytics.standardise.name_keys``)."""
    if not name:
        return "", frozenset()
    row = name_keys([name]).iloc[0]
    return str(row["dm"] or ""), frozenset(row["keys"])


def _district(postcode: str | None) -> str:
    pc = re.sub(r"[^A-Z0-9]", "", (postcode or "").upper())
    return pc[:-3] if 5 <= len(pc) <= 7 else ""


@dataclass(frozen=True)
class Identity:
    """The identifying details of an applicant or of a register entry."""

    first_name: str
    surname: str
    dob: date
    middle_name: str | None = None
    postcode: str | None = None
    driving_licence: str | None = None
    sex: str | None = None


@dataclass(frozen=True)
class Evidence:
    comparison: str
    level: str
    points: float
    applicant: str
    entry: str


@dataclass(frozen=True)
class Candidate:
    """A register entry that may be the applicant, with the score and the evidence."""

    entry_id: str
    score: float
    strength: str  # "licence" (exact driving licence number), "strong" or "possible"
    evidence: tuple[Evidence, ...] = field(default=())


def _first_level(a: str, b: str, a_mid: str, b_mid: str, w: MatchWeights) -> str:
    if a == b:
        return "exact"
    (dm_a, keys_a), (dm_b, keys_b) = _keys(a), _keys(b)
    if keys_a & keys_b:
        return "nickname"
    if dm_a and dm_a == dm_b:
        return "phonetic"
    jw = jaro_winkler_similarity(a, b)
    if jw >= w.jw_strong:
        return "jw_strong"
    if (a_mid and a_mid == b) or (b_mid and b_mid == a):
        return "as_middle"
    return "jw_weak" if jw >= w.jw_weak else "other"


def _surname_level(a: str, b: str, w: MatchWeights) -> str:
    if a == b:
        return "exact"
    if set(re.split(r"[ -]", a)) & set(re.split(r"[ -]", b)):
        return "hyphen_part"
    if _keys(a)[0] and _keys(a)[0] == _keys(b)[0]:
        return "phonetic"
    jw = jaro_winkler_similarity(a, b)
    if jw >= w.jw_strong:
        return "jw_strong"
    return "jw_weak" if jw >= w.jw_weak else "other"


def _dob_level(a: date, b: date) -> str:
    if a == b:
        return "exact"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return "transposed"
    if abs(a.toordinal() - b.toordinal()) == 1 or (
        damerau_levenshtein_distance(a.isoformat(), b.isoformat()) <= 1
    ):
        return "one_slip"
    return "year_month" if (a.year, a.month) == (b.year, b.month) else "other"


def score(
    applicant: Identity,
    entry: Identity,
    w: MatchWeights,
    common: Callable[[str, str], float] | None = None,
) -> tuple[float, list[Evidence]]:
    """Points and evidence for one applicant–entry pair.

    ``common(part, name)`` is the term-frequency adjustment (≤ 0) for an exact first name or
    surname: agreeing on a name half the register shares is weaker evidence than on a rare one,
    as in the identity model's ``tf`` levels.
    """
    af, asn, bf, bsn = (
        clean_name(applicant.first_name),
        clean_name(applicant.surname),
        clean_name(entry.first_name),
        clean_name(entry.surname),
    )
    ev: list[Evidence] = []
    if af != asn and af == bsn and asn == bf:
        ev.append(Evidence("names", "swapped", w.swapped_names, f"{af} {asn}", f"{bf} {bsn}"))
    else:
        am, bm = clean_name(applicant.middle_name), clean_name(entry.middle_name)
        lvl = _first_level(af, bf, am, bm, w)
        tf = common("first", af) if common and lvl == "exact" else 0.0
        ev.append(Evidence("first_name", lvl, w.first_name[lvl] + tf, af, bf))
        lvl = _surname_level(asn, bsn, w)
        tf = common("surname", asn) if common and lvl == "exact" else 0.0
        ev.append(Evidence("surname", lvl, w.surname[lvl] + tf, asn, bsn))
    lvl = _dob_level(applicant.dob, entry.dob)
    ev.append(Evidence("dob", lvl, w.dob[lvl], applicant.dob.isoformat(), entry.dob.isoformat()))
    if applicant.sex in ("M", "F") and entry.sex in ("M", "F") and applicant.sex != entry.sex:
        ev.append(Evidence("sex", "differs", w.sex_differs, applicant.sex, entry.sex))
    pa, pb = (applicant.postcode or "").upper().replace(" ", ""), (entry.postcode or "")
    pb = pb.upper().replace(" ", "")
    if pa and pb:
        if pa == pb:
            ev.append(Evidence("postcode", "same", w.postcode["same"], pa, pb))
        elif _district(pa) == _district(pb):
            ev.append(Evidence("postcode", "district", w.postcode["district"], pa, pb))
    la, lb = applicant.driving_licence, entry.driving_licence
    if la and lb:
        la, lb = normalise(la), normalise(lb)
        if la == lb:
            ev.append(Evidence("driving_licence", "exact", 0.0, la, lb))
        else:
            ev.append(Evidence("driving_licence", "differs", w.driving_licence_differs, la, lb))
    return sum(e.points for e in ev), ev


def _can_reach(applicant: Identity, af: str, asn: str, entry: Identity, w: MatchWeights) -> bool:
    """Cheap bound: False when no completion of the score could reach ``possible``.

    The date and surname levels are computed first; the first name, postcode and the rest are
    assumed at their best. Saves the full score (and its evidence) for most blocked rows.
    """
    dob_pts = w.dob[_dob_level(applicant.dob, entry.dob)]
    pc = w.postcode["same"] if applicant.postcode and entry.postcode else 0.0
    best_first = max(w.first_name.values())
    best_names = max(best_first + max(w.surname.values()), w.swapped_names)
    if dob_pts + best_names + pc < w.possible:
        return False
    bf, bsn = clean_name(entry.first_name), clean_name(entry.surname)
    if af == bsn and asn == bf:
        return True
    return dob_pts + w.surname[_surname_level(asn, bsn, w)] + best_first + pc >= w.possible


def _dob_variants(d: date) -> list[int]:
    out = {d, d - timedelta(days=1), d + timedelta(days=1)}
    for year in (d.year - 1, d.year + 1):
        try:
            out.add(d.replace(year=year))
        except ValueError:
            out.add(d.replace(year=year, day=28))
    if d.day <= 12:
        out.add(date(d.year, d.day, d.month))
    return [x.toordinal() for x in out]


def _names_key(first_dm: int, surname_dm: int, year: int) -> int:
    return (first_dm << 34) | (surname_dm << 14) | (year & 0x3FFF)


class RegisterIndex:
    """Live register entries as numpy columns, sorted by each blocking key."""

    def __init__(self, entry_ids: Sequence[str], identities: Sequence[Identity], w: MatchWeights):
        self.weights = w
        self.entry_ids = list(entry_ids)
        self.identities = list(identities)
        dm_codes: dict[str, int] = {}

        def code(name: str) -> int:
            return dm_codes.setdefault(_keys(clean_name(name))[0] or "?" + name, len(dm_codes))

        n = len(self.identities)
        dob = np.fromiter((i.dob.toordinal() for i in self.identities), np.int64, n)
        names = np.fromiter(
            (_names_key(code(i.first_name), code(i.surname), i.dob.year) for i in self.identities),
            np.int64,
            n,
        )
        self._dm_codes = dm_codes
        self._dob_order = np.argsort(dob, kind="stable")
        self._dob_sorted = dob[self._dob_order]
        self._names_order = np.argsort(names, kind="stable")
        self._names_sorted = names[self._names_order]
        self._counts = {
            "first": Counter(clean_name(i.first_name) for i in self.identities),
            "surname": Counter(clean_name(i.surname) for i in self.identities),
        }
        self._licence: dict[str, list[int]] = {}
        for row, i in enumerate(self.identities):
            if i.driving_licence:
                self._licence.setdefault(normalise(i.driving_licence), []).append(row)

    def __len__(self) -> int:
        return len(self.identities)

    def common(self, part: str, name: str) -> float:
        """log2(average share / this name's share), only when the name is commoner than
        average, floored at ``tf_floor``: 0 for a rare name, down to −3 for the commonest."""
        counts = self._counts[part]
        share = counts.get(name, 0) / max(len(self.identities), 1)
        average = 1 / max(len(counts), 1)
        if share <= average:
            return 0.0
        return max(math.log2(average / share), self.weights.tf_floor)

    def _range(self, order: np.ndarray, keys: np.ndarray, values: list[int]) -> list[int]:
        wanted = np.asarray(values, dtype=np.int64)
        lo = np.searchsorted(keys, wanted, "left")
        hi = np.searchsorted(keys, wanted, "right")
        rows: list[int] = []
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            rows.extend(order[a:b].tolist())
        return rows

    def candidate_rows(self, applicant: Identity) -> tuple[set[int], set[int]]:
        """Rows in any block the applicant falls in, and those with the same licence number."""
        rows = set(self._range(self._dob_order, self._dob_sorted, _dob_variants(applicant.dob)))
        f = self._dm_codes.get(_keys(clean_name(applicant.first_name))[0] or "")
        s = self._dm_codes.get(_keys(clean_name(applicant.surname))[0] or "")
        if f is not None and s is not None:
            year = applicant.dob.year
            keys = [_names_key(f, s, year), _names_key(s, f, year)]
            rows.update(self._range(self._names_order, self._names_sorted, keys))
        same: set[int] = set()
        if applicant.driving_licence:
            same = set(self._licence.get(normalise(applicant.driving_licence), ()))
        return rows | same, same

    def check(self, applicant: Identity, limit: int = 20) -> list[Candidate]:
        """Possible matches, exact licence numbers first, then by score (best row per entry)."""
        w = self.weights
        best: dict[str, Candidate] = {}
        af, asn = clean_name(applicant.first_name), clean_name(applicant.surname)
        rows, same_licence = self.candidate_rows(applicant)
        for row in rows:
            entry = self.identities[row]
            if row not in same_licence and not _can_reach(applicant, af, asn, entry, w):
                continue
            points, ev = score(applicant, entry, w, self.common)
            exact = any(e.comparison == "driving_licence" and e.level == "exact" for e in ev)
            if not exact and points < w.possible:
                continue
            strength = "licence" if exact else "strong" if points >= w.strong else "possible"
            entry_id = self.entry_ids[row]
            old = best.get(entry_id)
            cand = Candidate(entry_id, round(points, 2), strength, tuple(ev))
            if old is None or (old.strength != "licence", -old.score) > (not exact, -points):
                best[entry_id] = cand
        ranked = sorted(best.values(), key=lambda c: (c.strength != "licence", -c.score))
        return ranked[:limit]


def naive_check(
    applicant: Identity, entry_ids: Sequence[str], identities: Sequence[Identity], w: MatchWeights
) -> list[Candidate]:
    """Score every entry (the benchmark's baseline; the same answer without blocking)."""
    out = []
    for entry_id, ident in zip(entry_ids, identities, strict=True):
        points, ev = score(applicant, ident, w)
        exact = any(e.comparison == "driving_licence" and e.level == "exact" for e in ev)
        if exact or points >= w.possible:
            strength = "licence" if exact else "strong" if points >= w.strong else "possible"
            out.append(Candidate(entry_id, round(points, 2), strength, tuple(ev)))
    return sorted(out, key=lambda c: (c.strength != "licence", -c.score))
