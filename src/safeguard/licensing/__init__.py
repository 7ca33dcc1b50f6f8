"""Taxi and private-hire licensing: the register of refusals, suspensions and revocations,
the fuzzy check on every application, out-of-area working and safeguarding notices."""

from safeguard.licensing.matching import Candidate, Evidence, Identity, RegisterIndex
from safeguard.licensing.out_of_area import OutOfArea, Sighting, detect
from safeguard.licensing.register import DECISIONS, RegisterEntry, parse_entry
from safeguard.licensing.settings import LicensingSettings, load_licensing_settings

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
    "detect",
    "load_licensing_settings",
    "parse_entry",
]
