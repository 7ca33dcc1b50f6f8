"""How one agency's record of a person departs from the truth, each departure logged.

Every error is drawn independently per record at the agency's rate (``params.NoiseRates``) and
returned with the true and recorded value, so ``truth/noise.csv`` says exactly what went wrong.
Rates for nicknames, transliterations, day/month swaps, hyphenation and surname change apply only
where the error is possible (a name with a known variant, a day of 12 or less...).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from safeguard.synth import identifiers as ids
from safeguard.synth.names import NameVariants
from safeguard.synth.params import NoiseRates
from safeguard.synth.population import Person

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_ADJACENT: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _i, _ch in enumerate(_row):
        near = [_row[j] for j in (_i - 1, _i + 1) if 0 <= j < len(_row)]
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_ROWS):
                near += [_ROWS[_other][j] for j in (_i - 1, _i) if 0 <= j < len(_ROWS[_other])]
        _ADJACENT[_ch] = "".join(sorted(set(near)))


def keyboard_slip(word: str, rng: random.Random) -> str:
    """One slip a typist makes: a neighbouring key, a dropped, doubled or swapped letter."""
    if len(word) < 3:
        return word + word[-1]
    for _ in range(10):
        i = rng.randrange(1, len(word))
        op = rng.randrange(4)
        if op == 0:
            near = _ADJACENT.get(word[i].lower(), "")
            if not near:
                continue
            out = word[:i] + rng.choice(near) + word[i + 1 :]
        elif op == 1:
            out = word[:i] + word[i + 1 :]
        elif op == 2:
            out = word[:i] + word[i] + word[i:]
        else:
            out = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
        if out != word and out:
            return out
    return word + word[-1]


@dataclass
class Recorded:
    """The values an agency holds for a person, before agency-specific coding."""

    first_name: str
    middle_name: str | None
    surname: str
    dob: date
    postcode: str
    address: str
    nhs_number: str
    ethnicity_not_stated: bool
    nationality_not_stated: bool


Noise = tuple[str, str, str, str]  # noise type, field, true value, recorded value


def apply_noise(
    p: Person,
    rates: NoiseRates,
    variants: NameVariants,
    rng: random.Random,
    as_of: date,
    new_surname: str,
) -> tuple[Recorded, list[Noise]]:
    """Draw every error for one record; ``new_surname`` is used if an adult changes surname."""
    log: list[Noise] = []
    first, surname, dob = p.first_name, p.surname, p.dob

    def hit(noise: str) -> bool:
        return rng.random() < rates.rate(noise)

    nick = variants.nickname.get(first)
    if nick and hit("nickname"):
        first = _logged(log, "nickname", "first_name", first, rng.choice(nick))
    trans = variants.transliteration.get(first)
    if trans and hit("transliteration"):
        first = _logged(log, "transliteration", "first_name", first, rng.choice(trans))
    trans = variants.transliteration.get(surname)
    if trans and hit("transliteration"):
        surname = _logged(log, "transliteration", "surname", surname, rng.choice(trans))
    if hit("typo_first"):
        first = _logged(log, "typo_first", "first_name", first, keyboard_slip(first, rng))
    if hit("typo_surname"):
        surname = _logged(log, "typo_surname", "surname", surname, keyboard_slip(surname, rng))
    other = p.alt_surname or new_surname
    if other and other != surname and hit("hyphenated_surname"):
        double = f"{surname}-{other}" if rng.random() < 0.5 else f"{other}-{surname}"
        surname = _logged(log, "hyphenated_surname", "surname", surname, double)
    elif other and other != surname and hit("surname_change"):
        surname = _logged(log, "surname_change", "surname", surname, other)
    if hit("swapped_names"):
        _logged(log, "swapped_names", "first_name", first, surname)
        first, surname = surname, first

    if dob.day <= 12 and dob.day != dob.month and hit("dob_day_month_swap"):
        swapped = date(dob.year, dob.day, dob.month)
        if swapped <= as_of:
            dob = _logged_date(log, "dob_day_month_swap", dob, swapped)
    if hit("dob_typo"):
        slipped = _dob_slip(dob, rng)
        if slipped <= as_of:
            dob = _logged_date(log, "dob_typo", dob, slipped)

    postcode, address = p.postcode, p.address
    if hit("moved_address"):
        postcode = _logged(log, "moved_address", "postcode", postcode, p.prev_postcode)
        address = p.prev_address
    if hit("missing_postcode"):
        postcode = _logged(log, "missing_postcode", "postcode", postcode, "")
        address = ""

    middle = p.middle_name
    if middle and hit("missing_middle_name"):
        _logged(log, "missing_middle_name", "middle_name", middle, "")
        middle = None

    nhs = p.nhs_number
    if hit("nhs_missing"):
        nhs = _logged(log, "nhs_missing", "nhs_number", nhs, "")
    elif hit("nhs_mistyped"):
        nhs = _logged(log, "nhs_mistyped", "nhs_number", nhs, ids.mistype_nhs_number(nhs, rng))

    return Recorded(
        first_name=first,
        middle_name=middle,
        surname=surname,
        dob=dob,
        postcode=postcode,
        address=address,
        nhs_number=nhs,
        ethnicity_not_stated=hit("ethnicity_not_stated"),
        nationality_not_stated=hit("nationality_not_stated"),
    ), log


def _logged(log: list[Noise], noise: str, field: str, true: str, recorded: str) -> str:
    log.append((noise, field, true, recorded))
    return recorded


def _logged_date(log: list[Noise], noise: str, true: date, recorded: date) -> date:
    log.append((noise, "dob", true.isoformat(), recorded.isoformat()))
    return recorded


def _dob_slip(dob: date, rng: random.Random) -> date:
    """A day or year off by one, as when a digit is misread."""
    if rng.random() < 0.5:
        return date.fromordinal(dob.toordinal() + rng.choice((-1, 1)))
    year = dob.year + rng.choice((-1, 1))
    day = min(dob.day, 28) if dob.month == 2 else dob.day
    return date(year, dob.month, day)
