"""The platform's one pseudonym scheme: a keyed hash of a person id (or a record's
``agency:local_id``), the same in network charts, pseudonymised shares and exports, so one person
carries one pseudonym everywhere an analyst looks. Research extracts use a key per project
instead (``research/extract.py``), so two projects' extracts cannot be joined."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret: str, value: str) -> str:
    """``P-`` and 16 hex digits of HMAC-SHA256 under the deployment's secret: stable for one
    value, meaningless and irreversible without the secret."""
    digest = hmac.new(secret.encode(), f"pseudonym:{value}".encode(), hashlib.sha256).hexdigest()
    return f"P-{digest[:16].upper()}"
