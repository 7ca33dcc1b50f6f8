"""Real-time scoring: the trained Splink model compiled into Python for one new record.

Splink's ``predict_between`` re-plans its SQL on every call (hundreds of milliseconds for one
record), and even one compiled DuckDB query per record spends most of its time planning. The
trained model JSON holds every comparison level's SQL condition and m/u probabilities, so this
parses each condition once (sqlglot, DuckDB dialect) into a Python function with SQL's
three-valued logic, and adds the same Bayes factors and term-frequency adjustments Splink adds.
A test proves its levels and match weights equal Splink's own.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlglot
from jellyfish import damerau_levenshtein_distance, jaro_winkler_similarity
from sqlglot import exp

#: A record as a tuple of standardised values; ``columns`` names the positions.
Row = tuple[Any, ...]
#: A compiled condition or value over (existing record, new record); ``None`` is SQL NULL.
Expr = Callable[[Row, Row], Any]


class UnsupportedCondition(ValueError):
    """A comparison level uses SQL the real-time scorer does not translate."""


def _weight(level: Mapping[str, Any]) -> float:
    """log2(m/u) as Splink computes it; a level without trained m and u counts nothing."""
    m, u = level.get("m_probability"), level.get("u_probability")
    if not isinstance(m, int | float) or not isinstance(u, int | float) or m <= 0 or u <= 0:
        return 0.0
    return math.log2(m / u)


def _strict(fn: Callable[..., Any], *args: Expr) -> Expr:
    """A function of SQL values that is NULL when any argument is NULL."""
    if len(args) == 1:
        (a,) = args

        def one(left: Row, right: Row) -> Any:
            x = a(left, right)
            return None if x is None else fn(x)

        return one
    a, b = args

    def two(left: Row, right: Row) -> Any:
        x = a(left, right)
        if x is None:
            return None
        y = b(left, right)
        return None if y is None else fn(x, y)

    return two


def _and(a: Expr, b: Expr) -> Expr:
    def both(left: Row, right: Row) -> bool | None:
        x = a(left, right)
        if x is False:
            return False
        y = b(left, right)
        if y is False:
            return False
        return None if x is None or y is None else True

    return both


def _or(a: Expr, b: Expr) -> Expr:
    def either(left: Row, right: Row) -> bool | None:
        x = a(left, right)
        if x is True:
            return True
        y = b(left, right)
        if y is True:
            return True
        return None if x is None or y is None else False

    return either


def _substr(text: str, start: int, length: int | None = None) -> str:
    begin = max(start - 1, 0)
    return text[begin:] if length is None else text[begin : begin + length]


def _intersect(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    return list({x for x in a if x is not None} & {x for x in b if x is not None})


_COMPARE: dict[type[exp.Expression], Callable[[Any, Any], bool]] = {
    exp.EQ: lambda x, y: bool(x == y),
    exp.NEQ: lambda x, y: bool(x != y),
    exp.GT: lambda x, y: bool(x > y),
    exp.GTE: lambda x, y: bool(x >= y),
    exp.LT: lambda x, y: bool(x < y),
    exp.LTE: lambda x, y: bool(x <= y),
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {"damerau_levenshtein": damerau_levenshtein_distance}
_INTERSECT = frozenset({"list_intersect", "array_intersect"})


class ConditionCompiler:
    """Turns a Splink level's SQL condition into a Python function of two rows."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.position = {c: i for i, c in enumerate(columns)}

    def compile(self, sql: str) -> Expr:
        return self._node(sqlglot.parse_one(sql, read="duckdb"))

    def _column(self, name: str) -> Expr:
        base, side = name[:-2], name[-2:]
        if side not in ("_l", "_r") or base not in self.position:
            raise UnsupportedCondition(f"column {name} is not a standardised column")
        i = self.position[base]
        if side == "_l":
            return lambda left, right: left[i]
        return lambda left, right: right[i]

    def _node(self, node: Any) -> Expr:  # noqa: C901 - one case per SQL construct
        if isinstance(node, exp.Paren):
            return self._node(node.this)
        if isinstance(node, exp.Column):
            return self._column(node.name)
        if isinstance(node, exp.Literal):
            text = node.this
            value: Any = text if node.is_string else (float(text) if "." in text else int(text))
            return lambda left, right: value
        if isinstance(node, exp.Null):
            return lambda left, right: None
        if isinstance(node, exp.And):
            return _and(self._node(node.this), self._node(node.expression))
        if isinstance(node, exp.Or):
            return _or(self._node(node.this), self._node(node.expression))
        if isinstance(node, exp.Not):
            return _strict(lambda x: not x, self._node(node.this))
        if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
            inner = self._node(node.this)
            return lambda left, right: inner(left, right) is None
        compare = _COMPARE.get(type(node))
        if compare is not None:
            return _strict(compare, self._node(node.this), self._node(node.expression))
        if isinstance(node, exp.JarowinklerSimilarity):
            args = (self._node(node.this), self._node(node.expression))
            return _strict(jaro_winkler_similarity, *args)
        if isinstance(node, exp.ArraySize):
            return _strict(len, self._node(node.this))
        if isinstance(node, exp.Length):
            return _strict(len, self._node(node.this))
        if isinstance(node, exp.Substring):
            return self._substring(node)
        if isinstance(node, exp.Anonymous) and node.name.lower() in _INTERSECT:
            return self._intersect(node)
        if isinstance(node, exp.Anonymous) and node.name.lower() in _FUNCTIONS:
            fn = _FUNCTIONS[node.name.lower()]
            return _strict(fn, *(self._node(a) for a in node.expressions))
        raise UnsupportedCondition(f"the real-time scorer cannot translate {node.sql()!r}")

    def _intersect(self, node: exp.Anonymous) -> Expr:
        """DuckDB's ``list_intersect`` is NULL when its first list is NULL but empty when only
        the second is (measured on DuckDB 2.0), so NULLs do not simply propagate."""
        a, b = (self._node(arg) for arg in node.expressions)

        def intersect(left: Row, right: Row) -> list[Any] | None:
            x = a(left, right)
            if x is None:
                return None
            y = b(left, right)
            return [] if y is None else _intersect(x, y)

        return intersect

    def _substring(self, node: exp.Substring) -> Expr:
        text = self._node(node.this)
        start = self._node(node.args["start"])
        length_node = node.args.get("length")
        length = self._node(length_node) if length_node is not None else None

        def substring(left: Row, right: Row) -> str | None:
            value, begin = text(left, right), start(left, right)
            count = None if length is None else length(left, right)
            if value is None or begin is None or (length is not None and count is None):
                return None
            return _substr(value, begin, count)

        return substring


@dataclass(frozen=True)
class _TermFrequency:
    column: int
    table: Mapping[Any, float]
    weight: float
    log2_u: float
    minimum_u: float


@dataclass(frozen=True)
class _Level:
    gamma: int
    condition: Expr | None  # None: ELSE
    weight: float
    tf: _TermFrequency | None


@dataclass(frozen=True)
class _Comparison:
    name: str
    levels: tuple[_Level, ...]


@dataclass(frozen=True)
class PairScore:
    """One scored pair: the level of each comparison and the total match weight."""

    gammas: tuple[int, ...]
    match_weight: float

    @property
    def match_probability(self) -> float:
        return float(1.0 / (1.0 + 2.0 ** (-self.match_weight)))


class ModelScorer:
    """A trained Splink model as Python: scores (existing, new) row pairs.

    ``term_frequencies`` maps a tf-adjusted column to value → relative frequency, the same
    table Splink registers (``compute_tf_table``) for its predictions.
    """

    def __init__(
        self,
        model_json: str,
        columns: Sequence[str],
        term_frequencies: Mapping[str, Mapping[Any, float]],
    ) -> None:
        settings = json.loads(model_json)
        prior = settings["probability_two_random_records_match"]
        self.prior_weight = math.log2(prior / (1 - prior))
        compiler = ConditionCompiler(columns)
        position = {c: i for i, c in enumerate(columns)}
        self.comparisons = tuple(
            self._comparison(c, compiler, position, term_frequencies)
            for c in settings["comparisons"]
        )
        self.names = tuple(c.name for c in self.comparisons)

    @staticmethod
    def _comparison(
        comparison: Mapping[str, Any],
        compiler: ConditionCompiler,
        position: Mapping[str, int],
        term_frequencies: Mapping[str, Mapping[Any, float]],
    ) -> _Comparison:
        raw = comparison["comparison_levels"]
        value = sum(1 for lv in raw if not lv.get("is_null_level")) - 1
        levels = []
        for level in raw:
            null = bool(level.get("is_null_level"))
            gamma = -1 if null else value
            value -= 0 if null else 1
            sql = level["sql_condition"]
            condition = None if sql.strip().upper() == "ELSE" else compiler.compile(sql)
            tf = None
            column = level.get("tf_adjustment_column")
            if column and not null and level.get("u_probability"):
                if column not in term_frequencies:
                    raise UnsupportedCondition(f"no term frequencies given for {column}")
                tf = _TermFrequency(
                    position[column],
                    term_frequencies[column],
                    float(level.get("tf_adjustment_weight", 1.0)),
                    math.log2(level["u_probability"]),
                    float(level.get("tf_minimum_u_value", 0.0) or 0.0),
                )
            levels.append(_Level(gamma, condition, 0.0 if null else _weight(level), tf))
        return _Comparison(comparison["output_column_name"], tuple(levels))

    def score(self, existing: Row, new: Row) -> PairScore:
        """The pair's levels and match weight, as Splink's predict gives them."""
        total = self.prior_weight
        gammas = []
        for comparison in self.comparisons:
            for level in comparison.levels:
                if level.condition is None or level.condition(existing, new) is True:
                    break
            else:  # no ELSE level and nothing matched: Splink's CASE gives NULL, weight 0
                gammas.append(-1)
                continue
            gammas.append(level.gamma)
            total += level.weight
            if level.tf is not None:
                total += _tf_adjustment(level.tf, existing, new)
        return PairScore(tuple(gammas), total)


def _tf_adjustment(tf: _TermFrequency, existing: Row, new: Row) -> float:
    """Splink's term-frequency adjustment: rarer agreeing values weigh more."""
    tf_l = tf.table.get(existing[tf.column])
    tf_r = tf.table.get(new[tf.column])
    if tf_l is None and tf_r is None:
        return 0.0
    frequency = max(x for x in (tf_l, tf_r, tf.minimum_u) if x is not None)
    return tf.weight * (tf.log2_u - math.log2(frequency))
