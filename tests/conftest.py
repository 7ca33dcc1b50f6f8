"""Shared fixtures for all test levels."""

import sys
from pathlib import Path

# Test helpers (such as the independent feed checker) live beside the tests that use them.
sys.path.insert(0, str(Path(__file__).parent / "unit"))
