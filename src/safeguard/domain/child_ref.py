"""Child references: ``SG-`` + eight digits + an ISO 7064 MOD 11-2 check character.

MOD 11-2 is a pure check system, so every single-character substitution and every adjacent
transposition (including ones involving the check character) yields an invalid reference:
a mistyped reference is rejected rather than matched to another child.
"""

from __future__ import annotations

import re

PREFIX = "SG-"
DIGITS = 8
_PATTERN = re.compile(r"^SG-(\d{8})([0-9X])$")


class ChildRefError(ValueError):
    """A child reference could not be made or read."""


def check_character(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character (``0``–``9`` or ``X``) of a digit string."""
    if not digits.isdigit():
        raise ChildRefError(f"a child reference number is digits only, got {digits!r}")
    total = 0
    for ch in digits:
        total = ((total + int(ch)) * 2) % 11
    check = (12 - total) % 11
    return "X" if check == 10 else str(check)


def format_child_ref(number: int) -> str:
    """The child reference for serial ``number`` (1 … 99,999,999)."""
    if not 0 < number < 10**DIGITS:
        raise ChildRefError(f"child reference serial {number} is outside 1…{10**DIGITS - 1}")
    digits = f"{number:0{DIGITS}d}"
    return f"{PREFIX}{digits}{check_character(digits)}"


def is_valid_child_ref(value: str) -> bool:
    """True when ``value`` is well formed and its check character is right."""
    match = _PATTERN.match(value)
    return match is not None and check_character(match.group(1)) == match.group(2)


def child_ref_serial(value: str) -> int:
    """The serial number inside a valid reference; lower serials were issued earlier."""
    if not is_valid_child_ref(value):
        raise ChildRefError(f"{value!r} is not a valid child reference (SG-########C)")
    return int(value[len(PREFIX) : len(PREFIX) + DIGITS])
