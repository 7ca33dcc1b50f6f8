"""The one class that touches Splink and its engine (DuckDB by default, Spark at scale).

Services hand it files or DataFrames and get back pandas frames of pairs; nothing else in the
project imports Splink's Linker or a DuckDB/Spark connection for linkage.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
from splink import Linker, SettingsCreator

from safeguard.analytics.realtime_scorer import CompiledScorer
from safeguard.identity import model
from safeguard.identity.standardise import standardise

# Splink warns about untrained levels through logging; the engine reports what matters, so
# keep those messages for applications that configure logging instead of printing them.
logging.getLogger("splink").addHandler(logging.NullHandler())

Engine = Literal["duckdb", "spark"]
STD_TABLE = "sg_std_records"
_PAIR_COLUMNS = [
    "record_id_l",
    "record_id_r",
    "match_probability",
    "match_weight",
    "gamma_first_name",
    "gamma_surname",
    "gamma_dob",
    "gamma_home",
    "gamma_nhs_number",
    "first_name_l",
    "first_name_r",
    "surname_l",
    "surname_r",
    "first_name_dm_l",
    "first_name_dm_r",
    "dob_l",
    "dob_r",
    "sex_l",
    "sex_r",
    "middle_name_l",
    "middle_name_r",
]


class UnreadableFile(ValueError):
    """An input file the engine cannot read; the message names the file and the reason."""


class EngineUnavailable(RuntimeError):
    """The requested engine cannot run on this machine."""


class LinkageEngine:
    """Standardise, train, predict and explain with Splink on one engine."""

    def __init__(self, engine: Engine = "duckdb", settings: SettingsCreator | None = None) -> None:
        self.engine = engine
        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false").fetchall()
        self.settings = settings or model.project_settings()
        self._db_api: Any = self._make_db_api(engine)
        self.linker: Linker | None = None
        self._realtime_calls = 0  # Splink table names must never repeat within one engine

    def _make_db_api(self, engine: Engine) -> Any:
        if engine == "duckdb":
            from splink.backends.duckdb import DuckDBAPI

            return DuckDBAPI(connection=self.con)
        try:
            from pyspark.sql import SparkSession
            from splink.backends.spark import SparkAPI, similarity_jar_location
        except ImportError as exc:
            raise EngineUnavailable(
                "The spark engine needs pyspark: install it with pip install 'safeguard[spark]'."
            ) from exc
        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.driver.memory", "2g")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.jars", similarity_jar_location())
            .getOrCreate()
        )
        self.spark = spark
        return SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]

    # -- input -------------------------------------------------------------------------------
    def load_file(self, path: Path) -> list[str]:
        """Read a CSV or Parquet file into DuckDB as ``sg_raw``; returns its column names."""
        reader = "read_parquet" if path.suffix.lower() in {".parquet", ".pq"} else "read_csv"
        options = "" if reader == "read_parquet" else ", all_varchar=true, header=true"
        try:
            self.con.execute(
                f"CREATE OR REPLACE TABLE sg_raw AS SELECT * FROM {reader}(?{options})",
                [str(path)],
            ).fetchall()
        except duckdb.Error as exc:
            kind = "Parquet" if reader == "read_parquet" else "UTF-8 CSV"
            reason = str(exc).split("\n")[0].split(": ", 1)[-1]
            raise UnreadableFile(f"{path} cannot be read as {kind}: {reason}") from None
        return [row[0] for row in self.con.execute("DESCRIBE sg_raw").fetchall()]

    def load_frame(self, frame: pd.DataFrame) -> list[str]:
        """Use an in-memory DataFrame as ``sg_raw``."""
        self.con.register("sg_raw_frame", frame.astype("string"))
        self.con.execute("CREATE OR REPLACE TABLE sg_raw AS SELECT * FROM sg_raw_frame").fetchall()
        self.con.unregister("sg_raw_frame")
        return list(frame.columns)

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a read-only query on the engine's DuckDB connection."""
        return self.con.execute(sql, params or []).df()

    def prepare(self, source: str = "sg_raw") -> int:
        """Standardise ``source`` and build the Splink linker on it; returns the record count."""
        standardise(self.con, source, STD_TABLE)
        if self.engine == "duckdb":
            sdf = self._db_api.register(STD_TABLE, dataset_display_name="records")
        else:
            frame = self.con.execute(f"SELECT * FROM {STD_TABLE}").df()
            sdf = self._db_api.register(
                self.spark.createDataFrame(frame), dataset_display_name="records"
            )
        self.linker = Linker(sdf, self.settings, log_level=None)
        count = self.con.execute(f"SELECT count(*) FROM {STD_TABLE}").fetchall()
        return int(count[0][0])

    # -- training ----------------------------------------------------------------------------
    def train(self, s: model.LinkageSettings | None = None, floor_m: bool = True) -> str:
        """Train without labels (prior, u by sampling, m by EM); returns the model JSON.

        ``floor_m=False`` leaves EM's estimates as Splink gives them (the tutorial set-up).
        """
        s = s or model.load_linkage_settings()
        linker = self._linker()
        training = linker.training
        training.estimate_probability_two_random_records_match(
            list(model.DETERMINISTIC_RULES), recall=s.deterministic_recall
        )
        training.estimate_u_using_random_sampling(max_pairs=s.max_pairs_for_u, seed=s.seed)
        for rule in model.blocking_rules(model.TRAINING_BLOCKING_RULES):
            training.estimate_parameters_using_expectation_maximisation(
                rule, fix_probability_two_random_records_match=True
            )
        if floor_m:
            self._floor_m(s.m_floor)
        return self.model_json()

    def _floor_m(self, floor: float) -> None:
        """Keep every trained m at or above ``floor`` so no single comparison is a veto.

        EM drives m to ~0 for a level its blocking never shows (e.g. a different date of birth
        when every training rule blocks on it); -100 bits from one typo would split a child.
        """
        for comparison in self._linker()._settings_obj.comparisons:
            for level in comparison.comparison_levels:
                if not level.is_null_level and level.m_probability is not None:
                    level.m_probability = max(level.m_probability, floor)

    def model_json(self) -> str:
        """The trained model as Splink settings JSON (what the store versions)."""
        settings = self._linker().misc.save_model_to_json(overwrite=True)
        return json.dumps(settings, sort_keys=True)

    # -- prediction --------------------------------------------------------------------------
    def predict_pairs(self, threshold_probability: float) -> pd.DataFrame:
        """Blocked, scored pairs at or above the threshold (ids, probability, weight, levels)."""
        pairs = self._linker().inference.predict(threshold_match_probability=threshold_probability)
        return self._pairs_frame(pairs)

    def connected_components(self, threshold_probability: float) -> dict[str, str]:
        """Splink's own clustering (connected components), as its tutorials use it."""
        linker = self._linker()
        pairs = linker.inference.predict(threshold_match_probability=threshold_probability)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            pairs, threshold_match_probability=threshold_probability
        )
        frame = clusters.as_pandas_dataframe()  # type: ignore[no-untyped-call]
        return dict(
            zip(frame["record_id"].astype(str), frame["cluster_id"].astype(str), strict=True)
        )

    def _pairs_frame(self, pairs: Any) -> pd.DataFrame:
        if self.engine == "duckdb":
            present = set(self._columns(pairs))
            cols = [c for c in _PAIR_COLUMNS if c in present]
            return self.con.execute(f"SELECT {', '.join(cols)} FROM {pairs.physical_name}").df()
        frame: pd.DataFrame = pairs.as_pandas_dataframe()
        return frame[[c for c in _PAIR_COLUMNS if c in frame.columns]]

    def _columns(self, sdf: Any) -> list[str]:
        return [c.unquote().name for c in sdf.columns]

    def load_model(self, model_json: str) -> None:
        """Use a saved, trained model instead of training (same columns, same engine)."""
        if self.linker is None:
            raise RuntimeError("call prepare() before loading a model")
        sdf = self.linker._input_tables_dict
        self.linker = Linker(list(sdf.values())[0], json.loads(model_json), log_level=None)

    def enable_realtime(self) -> None:
        """Register term frequencies and compile the model for scoring single new records."""
        linker = self._linker()
        for column in ("first_name", "surname"):
            linker.table_management.compute_tf_table(column)
        self._scorer = CompiledScorer(self.con, self.model_json(), STD_TABLE)

    def score_new_record_fast(self, record: dict[str, Any]) -> pd.DataFrame:
        """Score one new record with the compiled model (same weights as Splink, one query)."""
        return self._scorer.score(record)

    def score_new_record(self, record: dict[str, Any]) -> pd.DataFrame:
        """Score one new record against its blocked candidates (Splink ``predict_between``)."""
        self._realtime_calls += 1
        n = self._realtime_calls
        self.con.register("sg_new_frame", pd.DataFrame([record]).astype("string"))
        standardise(self.con, "sg_new_frame", "sg_new_std")
        self.con.unregister("sg_new_frame")
        where = " OR ".join(f"({c})" for c in model.candidate_conditions("s", "n"))
        self.con.execute(
            f"CREATE OR REPLACE TABLE sg_candidates AS SELECT s.* FROM {STD_TABLE} s, "
            f"sg_new_std n WHERE s.record_id <> n.record_id AND ({where})"
        ).fetchall()
        if not self.con.execute("SELECT count(*) FROM sg_candidates").fetchall()[0][0]:
            return pd.DataFrame(columns=_PAIR_COLUMNS)
        existing = self._db_api.register("sg_candidates", table_name=f"sg_candidates_{n}")
        new = self._db_api.register("sg_new_std", table_name=f"sg_new_{n}")
        pairs = self._linker().inference.predict_between(existing, new, warning_mode="never")
        return self._pairs_frame(pairs)

    def explain_pairs(self, pairs: list[tuple[str, str]]) -> pd.DataFrame:
        """Every comparison's level and match weight for the given record pairs."""
        linker = self._linker()
        ids = sorted({i for pair in pairs for i in pair})
        rows = self.con.execute(
            f"SELECT * FROM {STD_TABLE} WHERE record_id IN (SELECT unnest(?))", [ids]
        ).df()
        by_id = {str(r["record_id"]): _plain(r) for r in rows.to_dict("records")}
        frames = []
        for left, right in pairs:
            scored = linker.inference.score_pair(by_id[left], by_id[right])
            frames.append(scored.as_pandas_dataframe())  # type: ignore[no-untyped-call]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def level_labels(self) -> dict[str, dict[int, str]]:
        """Comparison → (level number → chart label), from the trained model."""
        return {
            c.output_column_name: {
                lvl.comparison_vector_value: lvl.label_for_charts for lvl in c.comparison_levels
            }
            for c in self._linker()._settings_obj.comparisons
        }

    def _linker(self) -> Linker:
        if self.linker is None:
            raise RuntimeError("call prepare() before training or predicting")
        return self.linker


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    """pandas/numpy values → plain Python values Splink can register."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if hasattr(value, "tolist"):
            value = value.tolist()
        missing = value is pd.NA or (isinstance(value, float) and value != value)
        out[str(key)] = None if missing else value
    return out
