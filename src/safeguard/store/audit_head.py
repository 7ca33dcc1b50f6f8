"""The latest signed audit checkpoint, kept in a file outside the database (owner-only), so
whoever can rewrite the database (drop its triggers, delete the checkpoint rows, re-hash the
chain, cut the tail) still cannot make `audit verify` agree with what they left behind."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from safeguard.domain.audit import SignedHead


class HeadFileError(ValueError):
    """The head file exists but cannot be read as a signed head; the message says where."""


def head_path(data_dir: Path, database_url: str) -> Path:
    """One file per store (named from its URL without the password), so two stores that share a
    data directory never read each other's head."""
    url = make_url(database_url).render_as_string(hide_password=True)
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return data_dir / "audit-head" / f"{digest}.json"


class HeadFile:
    """Reads and writes one store's signed head; writes only move it forward unless replaced."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> SignedHead | None:
        if not self.path.exists():
            return None
        try:
            body = json.loads(self.path.read_text(encoding="utf-8"))
            return SignedHead(
                int(body["seq"]),
                str(body["entry_hash"]),
                str(body["signature"]),
                str(body["previous"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise HeadFileError(
                f"the signed head in {self.path} cannot be read ({exc}): it was damaged or replaced"
            ) from None

    def write(self, head: SignedHead, *, replace: bool = False) -> None:
        """Write ``head`` (owner-only, atomically); an older head never overwrites a newer one
        unless ``replace`` (after a restore)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = self.path.with_suffix(".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not replace:
                try:
                    current = self.read()
                except HeadFileError:
                    current = None
                if current is not None and current.seq >= head.seq:
                    return
            body = json.dumps(head.__dict__, sort_keys=True)
            tmp = self.path.with_suffix(".tmp")
            tmp_fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(tmp_fd, "w", encoding="utf-8") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
