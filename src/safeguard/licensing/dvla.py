"""DVLA driving licence numbers: structure, and consistency with the holder's details.

A GB photocard licence number has 16 characters (a paper counterpart adds a two-digit issue
number, which is not part of the number and is dropped here):

| positions | meaning |
|---|---|
| 1–5 | first five letters of the surname, padded with ``9`` (``MAC``/``MC`` prefixes as written) |
| 6 | decade digit of the year of birth |
| 7–8 | month of birth, plus 50 for a woman |
| 9–10 | day of birth |
| 11 | last digit of the year of birth |
| 12–13 | initials of the first and middle names, padded with ``9`` |
| 14 | an arbitrary digit (usually ``9``) |
| 15–16 | two computer check letters |

``problems`` checks that structure (letters then padding in the surname part, a real month and
day, a month offset of 0 or 50) and, for each detail given, that the number agrees with it:
surname letters, decade and year digits, month and day, sex (only ``M``/``F``; ``X``/``U`` skip
the offset check) and initials. The check letters are computed by DVLA by an unpublished
method, so they are only checked to be letters. Source: DVLA, "Understanding your driving
licence number" (INF1D leaflet) and GOV.UK's description of the licence number.
"""

from __future__ import annotations

import re
import string
from datetime import date

_SHAPE = re.compile(r"^[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}$")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def normalise(number: str) -> str:
    """Upper case without spaces; a paper licence's two-digit issue number is dropped."""
    text = re.sub(r"\s+", "", number).upper()
    if len(text) == 18 and text[16:].isdigit():
        text = text[:16]
    return text


def _letters(name: str) -> str:
    return "".join(c for c in name.upper() if c in string.ascii_uppercase)


def problems(
    number: str,
    surname: str | None = None,
    dob: date | None = None,
    sex: str | None = None,
    first_name: str | None = None,
    middle_name: str | None = None,
) -> list[str]:
    """Sentences saying what is wrong with ``number``; empty when it is valid and consistent."""
    n = normalise(number)
    if not _SHAPE.match(n):
        return [
            f"{number!r} is not a DVLA driving licence number: it needs 16 characters, five "
            "surname letters (padded with 9), six digits, two initials (padded with 9), a digit "
            "and two letters, e.g. MORGA753116SM9IJ"
        ]
    out: list[str] = []
    head = n[:5]
    if not re.fullmatch(r"[A-Z]+9*", head):
        out.append(f"{n}: the surname part {head!r} must be letters followed only by 9s")
    month_code, day = int(n[6:8]), int(n[8:10])
    female = month_code > 50
    month = month_code - 50 if female else month_code
    if not 1 <= month <= 12:
        out.append(f"{n}: month {n[6:8]} is not a month (01–12, or 51–62 for a woman)")
    elif not 1 <= day <= _DAYS[month - 1]:
        out.append(f"{n}: day {n[8:10]} is not a day of month {month}")
    if surname is not None:
        want = _letters(surname)[:5].ljust(5, "9")
        if head != want:
            out.append(f"{n}: the surname part {head!r} does not match the surname ({want!r})")
    if dob is not None:
        digits = f"{(dob.year % 100) // 10}{dob.month:02d}{dob.day:02d}{dob.year % 10}"
        shown = f"{n[5]}{month:02d}{n[8:10]}{n[10]}"
        if shown != digits:
            out.append(f"{n}: the date part does not match the date of birth {dob.isoformat()}")
    if sex in ("M", "F") and (sex == "F") != female:
        out.append(f"{n}: the month offset says {'F' if female else 'M'} but sex is {sex}")
    if first_name is not None:
        initials = (_letters(first_name)[:1] + _letters(middle_name or "")[:1]).ljust(2, "9")
        if n[11:13] != initials:
            out.append(f"{n}: the initials {n[11:13]!r} do not match the names ({initials!r})")
    return out


def is_valid(number: str) -> bool:
    """The structure alone is valid (no holder details compared)."""
    return not problems(number)
