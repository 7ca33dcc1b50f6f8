"""Synthetic region generator: agency feeds with known ground truth (no real person's data).

``generate_region`` is the one entry point; the CLI (``safeguard synth``), the demo, the tests
and the benchmarks all call it.
"""

from safeguard.synth.params import NoiseRates, ScenarioRates, SynthParams
from safeguard.synth.region import (
    DEMO_CHILDREN,
    DEMO_SEED,
    RegionSummary,
    agency_codes,
    demo_region,
    generate_region,
)

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "DEMO_CHILDREN",
    "DEMO_SEED",
    "NoiseRates",
    "RegionSummary",
    "ScenarioRates",
    "SynthParams",
    "agency_codes",
    "demo_region",
    "generate_region",
    "region",
    "report",
]
