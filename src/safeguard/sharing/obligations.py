"""Sharing obligations as data (the parsing lives in ``domain.obligations`` so that the
synthetic generator can model which events each agency owes its partners)."""

from safeguard.domain.obligations import (
    OBLIGATIONS_FILE,
    PARTNER_KINDS,
    ObligationError,
    ObligationSet,
    SharingObligation,
    age_on,
    load_obligations,
)

__all__ = [
    "OBLIGATIONS_FILE",
    "PARTNER_KINDS",
    "ObligationError",
    "ObligationSet",
    "SharingObligation",
    "age_on",
    "load_obligations",
]
