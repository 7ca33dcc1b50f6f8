"""Taxi and private-hire licensing: the register of refusals, suspensions and revocations,
the fuzzy check on every application, out-of-area working and safeguarding notices."""

from safeguard.licensing.matching import Candidate, Evidence, Identity, RegisterIndex
from safeguard.licensing.out_of_area import OutOfArea, Sighting, detect
from safeguard.licensing.register import DECISIONS, RegisterEntry, parse_entry
from safeguard.licensing.settings import LicensingSettings, load_licensing_settings

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "DECISIONS",
    "Candidate",
    "Evidence",
    "Identity",
    "LicensingSettings",
    "OutOfArea",
    "RegisterEntry",
    "RegisterIndex",
    "Sighting",
    "check_reads",
    "detect",
    "load_licensing_settings",
    "parse_entry",
    "service",
    "settings",
]
