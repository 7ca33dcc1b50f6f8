"""Synthetic identifiers that look right and can never be a real person's.

NHS numbers start with 9 (ranges 900-999 are not issued to patients; 999 is the NHS test range),
phone numbers come from Ofcom's drama range 07700 900000-900999, postcodes use real outward
codes with a random (format-valid) inward part.
"""

from __future__ import annotations

import random
import string
from datetime import date

from safeguard.domain.nhs import nhs_check_digit

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters Royal Mail uses in the inward code
_STREET_SUFFIX = ("Road", "Street", "Avenue", "Close", "Lane", "Drive", "Way", "Grove", "Terrace")
_REG_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # no I, Q in current-style number plates
_PLATFORMS = ("snapchat", "instagram", "tiktok", "whatsapp", "discord", "facebook")
_NHS_STRIDE = 7_919_773  # coprime with 10**7, spreads sequential people over the range


def nhs_number(person_index: int, seed: int) -> str:
    """A unique valid NHS number for a person index (< 10 million) under a seed."""
    body = (person_index * _NHS_STRIDE + seed * 104_729) % 10_000_000
    stem = f"9{body:07d}"
    for x in range(10):
        digit = (x + person_index) % 10
        check = nhs_check_digit(stem + str(digit))
        if check is not None:
            return f"{stem}{digit}{check}"
    raise AssertionError("unreachable: only one ninth digit can make the check digit 10")


def mistype_nhs_number(true: str, rng: random.Random) -> str:
    """A different, still valid NHS number: one slipped digit, as a clerk would type it."""
    for _ in range(50):
        pos = rng.randrange(1, 9)
        digits = list(true[:9])
        digits[pos] = str((int(digits[pos]) + rng.randrange(1, 10)) % 10)
        stem = "".join(digits)
        check = nhs_check_digit(stem)
        if check is not None and stem + str(check) != true:
            return stem + str(check)
    raise AssertionError("could not mistype an NHS number")


def postcode(outward: str, rng: random.Random) -> str:
    """Real outward code plus a random, format-valid inward code."""
    return (
        f"{outward} {rng.randrange(10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    )


def address(street_word: str, rng: random.Random) -> str:
    """A first line of address built from a surname-like word and a common street suffix."""
    return f"{rng.randrange(1, 240)} {street_word} {rng.choice(_STREET_SUFFIX)}"


def vehicle_registration(rng: random.Random, year: int) -> str:
    """Current-style GB registration (AB12 CDE) for a vehicle first registered in ``year``."""
    age = year % 100 if rng.random() < 0.5 else (year % 100) + 50
    area = rng.choice(_REG_LETTERS) + rng.choice(_REG_LETTERS)
    tail = "".join(rng.choice(_REG_LETTERS) for _ in range(3))
    return f"{area}{age:02d}{tail}"


def phone_number(rng: random.Random) -> str:
    """A mobile number from Ofcom's range reserved for drama, so it rings no one."""
    return f"07700900{rng.randrange(1000):03d}"


def online_account(rng: random.Random, word: str) -> str:
    """``platform/handle`` as an online report names an account."""
    handle = f"{word.lower()}{rng.randrange(10, 999)}"
    return f"{rng.choice(_PLATFORMS)}/{handle}"


def driving_licence(surname: str, first: str, middle: str | None, dob: date, sex: str) -> str:
    """DVLA driving licence number (16 characters) built the way DVLA builds it."""
    letters = "".join(c for c in surname.upper() if c in string.ascii_uppercase)
    part1 = (letters[:5]).ljust(5, "9")
    month = dob.month + (50 if sex == "F" else 0)
    part2 = f"{(dob.year % 100) // 10}{month:02d}{dob.day:02d}{dob.year % 10}"
    initials = (first[:1] + (middle[:1] if middle else "")).upper()
    initials = "".join(c if c in string.ascii_uppercase else "9" for c in initials).ljust(2, "9")
    check = _LICENCE_CHECK[(sum(map(ord, surname + first)) + dob.toordinal()) % 26]
    return f"{part1}{part2}{initials}9{check}{_LICENCE_CHECK[dob.day % 26]}"


_LICENCE_CHECK = string.ascii_uppercase


def licence_number(la_code: str, licence_type: str, serial: int) -> str:
    """A licensing authority's driver licence number, e.g. ``E08000018/PHD/00123``."""
    return f"{la_code}/{'HCD' if licence_type == 'hackney' else 'PHD'}/{serial:05d}"


def taxi_plate(la_code: str, licence_type: str, serial: int) -> str:
    """A vehicle licence plate number issued by a licensing authority."""
    return f"{la_code[-3:]}{'H' if licence_type == 'hackney' else 'P'}{serial:04d}"
