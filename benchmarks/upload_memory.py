"""Server memory while refusing large uploads (issue 19: a 100 MB upload took the server from
0.3 to 2.3 GB). Each case starts a fresh `safeguard serve` (SQLite, default
SAFEGUARD_MAX_UPLOAD_MB) and reads its peak resident memory (VmHWM) after one upload.

    python -m benchmarks.upload_memory [--mb 200]

The baseline is a small accepted file in the same run; the ratio is peak / baseline peak.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from tests.samples import POLICE, TWO_CHILDREN

from benchmarks.machine import machine_line

CHUNK = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def multipart(mb: int) -> tuple[Iterator[bytes], int]:
    """A multipart body holding an ``mb`` MB CSV, as chunks (never held whole here)."""
    head = (b'--b\r\nContent-Disposition: form-data; name="agency"\r\n\r\n' + POLICE.encode()
            + b'\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n")  # fmt: skip
    tail = b"\r\n--b--\r\n"

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(mb):
            yield b"P0000001,Amelia,Hartley,2012-03-04,F,LS1 1AA,\n" * (CHUNK // 48)
        yield tail

    size = len(head) + mb * (CHUNK // 48) * 48 + len(tail)
    return chunks(), size


def run_case(name: str, mb: int, chunked: bool, folder: Path) -> tuple[str, int, float, str]:
    port = free_port()
    env = {**os.environ, "SAFEGUARD_DATABASE_URL": f"sqlite:///{folder}/case{port}.db",
           "SAFEGUARD_DATA_DIR": str(folder), "SAFEGUARD_ENVIRONMENT": "test"}  # fmt: skip
    token = subprocess.run(
        [sys.executable, "-m", "safeguard.cli", "users", "add", "rms", "--agency", POLICE,
         "--role", "agency_system"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    token = next(w for w in token.split() if w.startswith("sg_"))
    server = subprocess.Popen(
        [sys.executable, "-m", "safeguard.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(f"{url}/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {token}",
                   "Content-Type": "multipart/form-data; boundary=b"}  # fmt: skip
        if mb == 0:
            response = httpx.post(f"{url}/api/v1/submissions", headers={"Authorization": headers[
                "Authorization"]}, data={"agency": POLICE},
                files={"file": ("p.csv", TWO_CHILDREN, "text/csv")})  # fmt: skip
            outcome = str(response.status_code)
        else:
            body, size = multipart(mb)
            if not chunked:
                headers["Content-Length"] = str(size)
            try:
                response = httpx.post(f"{url}/api/v1/submissions", headers=headers,
                                      content=body, timeout=120)  # fmt: skip
                outcome = str(response.status_code)
            except httpx.HTTPError as exc:  # the server answered 413 and closed mid-send
                outcome = f"closed ({type(exc).__name__})"
        time.sleep(0.3)
        return name, mb, peak_mib(server.pid), outcome
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = [
            run_case("baseline: a small file, accepted", 0, False, folder),
            run_case("declared length over the limit", args.mb, False, folder),
            run_case("chunked, no length, over the limit", args.mb, True, folder),
        ]
    base = rows[0][2]
    print(f"\n# Server peak memory on large uploads ({machine_line()})\n")
    print("| case | upload MB | answer | server peak MiB | ratio to baseline |")
    print("|---|---:|---|---:|---:|")
    for name, mb, peak, outcome in rows:
        print(f"| {name} | {mb} | {outcome} | {peak:.0f} | {peak / base:.2f} |")


if __name__ == "__main__":
    main()
