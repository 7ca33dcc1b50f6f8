"""Synthetic region generator: agency feeds with known ground truth (no real person's data).

``generate_region`` is the one entry point; the CLI (``safeguard synth``), the demo, the tests
and the benchmarks all call it.
"""

from safeguard.synth.params import NoiseRates, ScenarioRates, SynthParams
from safeguard.synth.region import RegionSummary, agency_codes, generate_region

__all__ = [
    "NoiseRates",
    "RegionSummary",
    "ScenarioRates",
    "SynthParams",
    "agency_codes",
    "generate_region",
]
