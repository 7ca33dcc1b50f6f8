"""The one class that touches Splink and its engine (DuckDB by default, Spark at scale).

Services hand it files or DataFrames and get back pandas frames of pairs; nothing else in the
project imports Splink's Linker or a DuckDB/Spark connection for linkage.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd
import pyarrow.compute as pc
from splink import Linker, SettingsCreator

from safeguard.analytics import linkage_model as model
from safeguard.analytics.realtime_index import CandidateIndex, EncodedColumn, Row
from safeguard.analytics.realtime_scorer import ModelScorer
from safeguard.analytics.standardise import STANDARD_COLUMNS, standardise, standardise_record

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
    "gamma_middle_name",
    "gamma_surname",
    "gamma_sex",
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
    "postcode_l",
    "postcode_r",
]


class UnreadableFile(ValueError):
    """An input file the engine cannot read; the message names the file and the reason."""


class EngineUnavailable(RuntimeError):
    """The requested engine cannot run on this machine."""


def _reason(exc: Exception) -> str:
    """The first sentence of an exception from Splink, for a note a person reads."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "resulted in no record pairs" in text:
        return "no record pairs"
    return text.split(". ")[0][:160]


def _check_csv_shape(path: Path) -> None:
    """Refuse what DuckDB's reader would quietly guess at: a header naming a column twice, or a
    quote left open to the end of the file (it would swallow the rows after it)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            header = next(reader, [])
            names = [h.strip().lower() for h in header]
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise UnreadableFile(
                    f"{path} names the column(s) {', '.join(twice)} more than once in its header"
                )
            for _ in reader:
                pass
    except csv.Error as exc:
        where = f"line {reader.line_num}" if "reader" in locals() else "the start"
        why = str(exc)
        if "unexpected end of data" in why:
            why = "a quoted value is never closed (the file ends inside quotes)"
        raise UnreadableFile(f"{path} is not readable CSV at {where}: {why}") from None
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path} is not UTF-8 text (byte {exc.start})") from None


class LinkageEngine:
    """Standardise, train, predict and explain with Splink on one engine."""

    def __init__(self, engine: Engine = "duckdb", settings: SettingsCreator | None = None) -> None:
        self.engine = engine
        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false").fetchall()
        self.settings = settings or model.project_settings()
        self._db_api: Any = self._make_db_api(engine)
        self.linker: Linker | None = None
        self._prepared = 0  # preparations so far (each registers with Splink under its own name)
        self._realtime_calls = 0  # Splink table names must never repeat within one engine
        self._index: CandidateIndex | None = None
        self._scorer: ModelScorer | None = None
        self._pending: list[Row] = []  # resolved in real time, not yet in the DuckDB table
        self.training_notes: list[str] = []  # what training fell back to, in words

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
        if reader == "read_csv":
            _check_csv_shape(path)
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
        self._flush()
        return self.con.execute(sql, params or []).df()

    def prepare(self, source: str = "sg_raw") -> int:
        """Standardise ``source`` and build the Splink linker on it; returns the record count."""
        standardise(self.con, source, STD_TABLE)
        # Splink refuses a table name twice, and training that falls back prepares again: each
        # preparation registers under a name of its own, shown to Splink as "records".
        self._prepared += 1
        name = "records" if self._prepared == 1 else f"records_{self._prepared}"
        if self.engine == "duckdb":
            sdf = self._db_api.register(STD_TABLE, dataset_display_name="records", table_name=name)
        else:
            frame = self.con.execute(f"SELECT * FROM {STD_TABLE}").df()
            sdf = self._db_api.register(
                self.spark.createDataFrame(frame), dataset_display_name="records", table_name=name
            )
        self.linker = Linker(sdf, self.settings, log_level=None)
        count = self.con.execute(f"SELECT count(*) FROM {STD_TABLE}").fetchall()
        return int(count[0][0])

    # -- training ----------------------------------------------------------------------------
    def train(self, s: model.LinkageSettings | None = None, floor_m: bool = True) -> str:
        """Train without labels (prior, u by sampling, m by EM); returns the model JSON.

        Never fails on the shape of the data: each step that finds nothing to learn from falls
        back as docs/identity.md ("Training on any file") says, and says so in
        ``training_notes``. ``floor_m=False`` leaves EM's estimates as Splink gives them (the
        tutorial set-up).
        """
        s = s or model.load_linkage_settings()
        self.training_notes = []
        training = self._linker().training
        records = int(self.con.execute(f"SELECT count(*) FROM {STD_TABLE}").fetchall()[0][0])
        try:
            training.estimate_probability_two_random_records_match(
                list(model.DETERMINISTIC_RULES), recall=s.deterministic_recall
            )
            prior = self._linker()._settings_obj._probability_two_random_records_match
            if not 0 < prior < 1:
                raise ValueError(f"prior {prior}")
        except Exception as exc:  # Splink raises several types for "no pairs": all mean the same
            fallback = min(0.5, 1 / max(records, 2))
            self._linker()._settings_obj._probability_two_random_records_match = fallback
            self.training_notes.append(
                f"no record pairs agree exactly on NHS number or on name and date of birth "
                f"({_reason(exc)}); the prior chance of a match is taken as 1/records = "
                f"{fallback:.2g}"
            )
        try:
            training.estimate_u_using_random_sampling(max_pairs=s.max_pairs_for_u, seed=s.seed)
        except Exception as exc:
            self.training_notes.append(
                f"u could not be estimated by random sampling ({_reason(exc)}); Splink's "
                "default u values are used"
            )
        chain = model.TRAINING_BLOCKING_RULES + model.FALLBACK_TRAINING_RULES
        if records < model.MIN_EM_RECORDS:
            chain = ()
            self.training_notes.append(
                f"{records:,} records are too few for EM (fewer than {model.MIN_EM_RECORDS}); "
                "Splink's default m values are used"
            )
        expected = len(self._linker()._settings_obj.comparisons)
        failed = 0  # the fallback rules run only when a main rule found nothing to learn from
        for rule in chain:
            if rule in model.FALLBACK_TRAINING_RULES and (not failed or self._all_m_trained()):
                break
            try:
                training.estimate_parameters_using_expectation_maximisation(
                    model.blocking_rules((rule,))[0], fix_probability_two_random_records_match=True
                )
            except Exception as exc:
                failed += 1
                self.training_notes.append(
                    f"EM on pairs blocked by {' + '.join(rule)} found nothing to learn from "
                    f"({_reason(exc)}); the next rule in the chain is tried"
                )
        if len(self._linker()._settings_obj.comparisons) != expected:
            # Splink's EM drops a comparison it sees no variation in; a model that cannot say
            # whether names agree is worse than an untrained one, so start again without EM.
            self.training_notes.append(
                "EM left comparisons out of the model on this file; trained again without EM, "
                "with Splink's default m values"
            )
            self.prepare()
            return self._train_without_em(s, floor_m)
        untrained = self._untrained_comparisons()
        if untrained and chain:
            self.training_notes.append(
                f"{', '.join(untrained)}: no training pairs showed these, so they use Splink's "
                "default m values"
            )
        if floor_m:
            self._floor_m(s.m_floor)
        return self.model_json()

    def _train_without_em(self, s: model.LinkageSettings, floor_m: bool) -> str:
        training = self._linker().training
        records = int(self.con.execute(f"SELECT count(*) FROM {STD_TABLE}").fetchall()[0][0])
        self._linker()._settings_obj._probability_two_random_records_match = min(
            0.5, 1 / max(records, 2)
        )
        try:
            training.estimate_u_using_random_sampling(max_pairs=s.max_pairs_for_u, seed=s.seed)
        except Exception as exc:
            self.training_notes.append(f"u: Splink's defaults ({_reason(exc)})")
        if floor_m:
            self._floor_m(s.m_floor)
        return self.model_json()

    def _untrained_comparisons(self) -> list[str]:
        return [
            c.output_column_name
            for c in self._linker()._settings_obj.comparisons
            if not c._some_m_are_trained
        ]

    def _all_m_trained(self) -> bool:
        return not self._untrained_comparisons()

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
        """Register term frequencies, index the store by blocking key and compile the model
        for scoring single new records (see ``realtime_index`` and ``realtime_scorer``)."""
        linker = self._linker()
        for column in ("first_name", "surname"):
            linker.table_management.compute_tf_table(column)
        frequencies = {c: self._term_frequencies(c) for c in ("first_name", "surname")}
        self._scorer = ModelScorer(self.model_json(), STANDARD_COLUMNS, frequencies)
        self._index = None  # the old index's memory goes before the new one is built
        self._index = CandidateIndex(STANDARD_COLUMNS, self._store_columns())
        self._pending = []

    def _term_frequencies(self, column: str) -> dict[Any, float]:
        """Value → share of the store's non-null values (Splink's ``compute_tf_table``)."""
        rows = self.con.execute(
            f"SELECT {column}, count(*) / (SELECT count({column}) FROM {STD_TABLE}) "
            f"FROM {STD_TABLE} WHERE {column} IS NOT NULL GROUP BY 1"
        ).fetchall()
        return {value: float(tf) for value, tf in rows}

    def _store_columns(self) -> dict[str, EncodedColumn]:
        """The standardised table column by column as dictionary codes (Arrow does the
        encoding), so a million records cost megabytes, not a Python object per value."""
        lists = [c for c, kind in self._column_types().items() if kind.endswith("[]")]
        select = ", ".join(
            f"CAST({c} AS VARCHAR) AS {c}" if c in lists else c for c in STANDARD_COLUMNS
        )
        table: Any = self.con.sql(f"SELECT {select} FROM {STD_TABLE}").to_arrow_table()
        out = {}
        for c in STANDARD_COLUMNS:
            encoded = pc.dictionary_encode(table.column(c).combine_chunks())
            codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
            values: list[Any] = encoded.dictionary.to_pylist()
            if c in lists:  # back from text to the lists themselves (as tuples)
                text = dict(
                    self.con.execute(
                        f"SELECT DISTINCT CAST({c} AS VARCHAR), {c} FROM {STD_TABLE} "
                        f"WHERE {c} IS NOT NULL"
                    ).fetchall()
                )
                values = [tuple(text[v]) for v in values]
            out[c] = EncodedColumn(codes.astype(np.int32), values)
            table = table.drop_columns([c])
        return out

    def _column_types(self) -> dict[str, str]:
        rows = self.con.execute(f"DESCRIBE {STD_TABLE}").fetchall()
        return {str(r[0]): str(r[1]) for r in rows}

    def score_new_pairs(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        """Score one new record in memory: candidates from the blocking-key indexes, each pair
        scored by the model compiled into Python (Splink's weights, no SQL, no DataFrame)."""
        if self._index is None or self._scorer is None:
            raise RuntimeError("call enable_realtime() before scoring new records")
        new = _row(standardise_record(record))
        names = [f"gamma_{n}" for n in self._scorer.names]
        out = []
        for existing in self._index.candidates(new):
            pair = self._scorer.score(existing, new)
            scored = {
                "record_id_l": existing[0],
                "record_id_r": new[0],
                "match_probability": pair.match_probability,
                "match_weight": pair.match_weight,
                **dict(zip(names, pair.gammas, strict=True)),
            }
            for column in _COMPARED:
                i = _POSITION[column]
                scored[f"{column}_l"] = existing[i]
                scored[f"{column}_r"] = new[i]
            out.append(scored)
        return out

    def score_new_record_fast(self, record: dict[str, Any]) -> pd.DataFrame:
        """``score_new_pairs`` as a DataFrame (the shape ``score_new_record`` returns)."""
        names = self._scorer.names if self._scorer is not None else ()
        return pd.DataFrame(self.score_new_pairs(record), columns=_fast_columns(names))

    def add_realtime_record(self, record: dict[str, Any]) -> None:
        """A record now resolved into the store: later records can be scored against it."""
        if self._index is None:
            raise RuntimeError("call enable_realtime() before adding records")
        row = _row(standardise_record(record))
        self._index.add(row)
        self._pending.append(row)

    def _flush(self) -> None:
        """Write records added in real time to the DuckDB table before SQL reads it."""
        if not self._pending:
            return
        latest = {row[0]: row for row in self._pending}  # a record changed twice: its last
        rows = [[list(v) if isinstance(v, tuple) else v for v in row] for row in latest.values()]
        ids = list(latest)
        self.con.execute(f"DELETE FROM {STD_TABLE} WHERE record_id IN (SELECT unnest(?))", [ids])
        marks = ", ".join("?" for _ in STANDARD_COLUMNS)
        self.con.executemany(
            f"INSERT INTO {STD_TABLE} ({', '.join(STANDARD_COLUMNS)}) VALUES ({marks})", rows
        )
        self._pending = []

    def score_new_record(self, record: dict[str, Any]) -> pd.DataFrame:
        """Score one new record against its blocked candidates (Splink ``predict_between``)."""
        return self.score_new_records([record])

    def score_new_records(self, records: list[dict[str, Any]]) -> pd.DataFrame:
        """Splink's ``predict_between`` for new records against the store (not each other)."""
        self._flush()
        self._realtime_calls += 1
        n = self._realtime_calls
        self.con.register("sg_new_frame", pd.DataFrame(records).astype("string"))
        standardise(self.con, "sg_new_frame", "sg_new_std")
        self.con.unregister("sg_new_frame")
        where = " OR ".join(f"({c})" for c in model.candidate_conditions("s", "n"))
        self.con.execute(
            f"CREATE OR REPLACE TABLE sg_candidates AS SELECT s.* FROM {STD_TABLE} s "
            f"WHERE EXISTS (SELECT 1 FROM sg_new_std n WHERE s.record_id <> n.record_id "
            f"AND ({where}))"
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
        self._flush()
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


#: Record columns the decision rule reads from a scored pair (twin and date guards).
_COMPARED = (
    "first_name",
    "middle_name",
    "surname",
    "first_name_dm",
    "dob",
    "sex",
    "nhs_number",
    "postcode",
)
_POSITION = {c: i for i, c in enumerate(STANDARD_COLUMNS)}


def _fast_columns(names: tuple[str, ...]) -> list[str]:
    head = ["record_id_l", "record_id_r", "match_probability", "match_weight"]
    sides = [f"{c}_{s}" for c in _COMPARED for s in ("l", "r")]
    return head + [f"gamma_{n}" for n in names] + sides


def _row(standard: Mapping[str, Any]) -> Row:
    """A standardised record as an index row (lists as tuples, like ``_store_rows``)."""
    return tuple(
        tuple(v) if isinstance(v, list) else v for v in (standard[c] for c in STANDARD_COLUMNS)
    )


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    """pandas/numpy values → plain Python values Splink can register."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if hasattr(value, "tolist"):
            value = value.tolist()
        missing = value is pd.NA or (isinstance(value, float) and value != value)
        out[str(key)] = None if missing else value
    return out
