"""A real server on a free loopback port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from safeguard.api import create_app
from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.domain.actors import Account
from tests.samples import CRIME, CSC, MASH, POLICE, TWO_CHILDREN

CHROMIUM = os.environ.get("SAFEGUARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if os.environ.get("SAFEGUARD_REQUIRE_CHROMIUM") == "1" or os.environ.get("CI"):
            pytest.fail(f"Chromium is required here but {CHROMIUM} is missing")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@dataclass(frozen=True)
class LiveServer:
    url: str
    tokens: dict[str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(platform: Platform) -> Iterator[str]:
    """Serve the platform's app with uvicorn on a free loopback port until the block ends."""
    port = _free_port()
    config = uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    platform = bootstrap(Settings(database_url=f"sqlite:///{folder}/live.db", environment="test"))
    system = Account("police-rms", "agency_system", POLICE)
    platform.ingest.submit(TWO_CHILDREN, "persons.csv", POLICE, system)
    platform.ingest.submit(CRIME, "events.csv", POLICE, system)
    tokens = {
        "hub": platform.accounts.add_user("hub", MASH, ["mash"]),
        "rms": platform.accounts.add_user("rms", POLICE, ["agency_system"]),
        "sw": platform.accounts.add_user("sw", CSC, ["practitioner"]),
    }
    with serving(platform) as url:
        yield LiveServer(url, tokens)
    platform.close()
