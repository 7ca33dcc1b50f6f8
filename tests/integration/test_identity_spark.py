"""The Spark path runs the same model as DuckDB (local[2]; opt-in, it takes a few minutes).

Run with ``SAFEGUARD_SPARK_TESTS=1 pytest -m spark`` after ``pip install -e '.[spark]'``.
"""

from __future__ import annotations

import importlib.util
import os

import pytest

from safeguard.analytics.linkage_engine import LinkageEngine
from safeguard.identity.service import link_records
from tests.noisy_records import noisy_children

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None or not os.environ.get("SAFEGUARD_SPARK_TESTS"),
        reason="needs pyspark and SAFEGUARD_SPARK_TESTS=1 (a local Spark run takes minutes)",
    ),
]


def test_spark_and_duckdb_give_the_same_children() -> None:
    records = noisy_children(30, seed=5).records
    spark = LinkageEngine("spark")
    spark.load_frame(records)
    on_spark = link_records(spark).clusters
    duck = LinkageEngine("duckdb")
    duck.load_frame(records)
    on_duckdb = link_records(duck).clusters

    def groups(clusters: dict[str, str]) -> set[frozenset[str]]:
        by: dict[str, set[str]] = {}
        for record_id, key in clusters.items():
            by.setdefault(key, set()).add(record_id)
        return {frozenset(g) for g in by.values()}

    same = groups(on_spark) & groups(on_duckdb)
    assert len(same) >= 0.9 * len(groups(on_duckdb))
