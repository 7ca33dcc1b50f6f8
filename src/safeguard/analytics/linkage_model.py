"""The linkage model for UK child records, as data: comparisons, blocking rules, training rules.

Only the columns produced by ``standardise`` are compared; ethnicity, nationality, immigration
status and religion never reach the model (``tests/unit/test_identity_protected.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from safeguard.domain.rules_file import parse_yaml_mapping, reading

# Prediction blocking: each rule reaches a kind of true pair the others miss (typo in a name,
# slipped date, moved house, swapped names). Blocking recall caps recall, so keep them all.
PREDICTION_BLOCKING_RULES: tuple[tuple[str, ...] | str, ...] = (
    ("nhs_number",),
    ("dob", "surname_dm"),
    ("dob", "first_name_dm"),
    ("first_name_dm", "surname_dm", "dob_year"),
    ("first_name_dm", "surname_dm", "postcode_outward"),
    ("postcode", "first_name_dm"),
    ("postcode", "surname_dm"),
    ("dob", "postcode_outward"),
    ("address", "surname_dm"),
    ("address", "first_name_dm"),
    "l.first_name = r.surname AND l.surname = r.first_name",
)

# EM blocking: each rule fixes some comparisons and trains the rest; together they train all.
TRAINING_BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("dob", "surname_dm"),
    ("first_name_dm", "surname_dm", "postcode_outward"),
    ("dob", "first_name_dm"),
)

# EM fallbacks, in order, tried when the rules above leave a comparison untrained (a file whose
# postcodes or dates say little): looser one-column blocks that still show most comparisons.
FALLBACK_TRAINING_RULES: tuple[tuple[str, ...], ...] = (
    ("surname_dm", "dob_year"),
    ("first_name_dm", "surname_dm"),
    ("postcode",),
    ("dob",),
)

# Below this many records EM has too few pairs to estimate anything; Splink's default m values
# are used instead (u is still sampled).
MIN_EM_RECORDS = 50

# Rules trusted to find true matches, used only to estimate the prior match probability.
DETERMINISTIC_RULES = (
    "l.nhs_number = r.nhs_number",
    "l.first_name = r.first_name AND l.surname = r.surname AND l.dob = r.dob",
)


def candidate_conditions(left: str, right: str) -> list[str]:
    """The prediction blocking rules as SQL conditions between aliases ``left`` and ``right``.

    Used to fetch one new record's candidates from the store without a full blocking join.
    """
    out = []
    for rule in PREDICTION_BLOCKING_RULES:
        if isinstance(rule, str):
            out.append(rule.replace("l.", f"{left}.").replace("r.", f"{right}."))
        else:
            out.append(" AND ".join(f"{left}.{c} = {right}.{c}" for c in rule))
    return out


_SWAPPED = ("first_name", "surname")


def rule_columns(rule: tuple[str, ...] | str) -> tuple[str, ...]:
    """The store columns a prediction rule looks up (the swapped-names rule: both names)."""
    return _SWAPPED if isinstance(rule, str) else rule


def rule_values(rule: tuple[str, ...] | str, record: dict[str, Any]) -> list[Any]:
    """The values a new record looks the rule up with (swapped: its surname as first name)."""
    if isinstance(rule, str):
        return [record.get("surname"), record.get("first_name")]
    return [record.get(c) for c in rule]


@dataclass(frozen=True)
class LinkageSettings:
    """``data/linkage.yaml`` loaded and checked."""

    name_strong: float
    name_weak: float
    address_similarity: float
    max_pairs_for_u: int
    seed: int
    deterministic_recall: float
    em_max_iterations: int
    m_floor: float
    cluster_probability: float
    retrieve_probability: float
    differing_nhs_is_cannot_link: bool
    twin_guard: bool
    dob_guard: bool
    namesake_guard: bool
    join_probability: float
    review_probability: float
    lone_name_is_error: bool = False
    #: The date-of-birth guard holds only where one of the two people is under this age today
    #: (``None``: every age).
    dob_guard_under_age: int | None = None


class LinkageSettingsError(ValueError):
    """``data/linkage.yaml`` cannot be used; the message names the key or line."""


LINKAGE_FILE = "data/linkage.yaml"


@lru_cache(maxsize=1)
def load_linkage_settings() -> LinkageSettings:
    """Read and validate the thresholds file; a bad file stops start-up with a clear error."""
    return parse_linkage_settings(
        resources.files("safeguard.data").joinpath("linkage.yaml").read_text(encoding="utf-8")
    )


def parse_linkage_settings(text: str) -> LinkageSettings:
    """The settings from the file's text; any fault is one ``LinkageSettingsError``."""
    raw = parse_yaml_mapping(text, LINKAGE_FILE, LinkageSettingsError)
    with reading(LINKAGE_FILE, LinkageSettingsError):
        s = LinkageSettings(
            name_strong=float(raw["name_similarity"]["strong"]),
            name_weak=float(raw["name_similarity"]["weak"]),
            address_similarity=float(raw["address_similarity"]),
            max_pairs_for_u=int(raw["training"]["max_pairs_for_u"]),
            seed=int(raw["training"]["seed"]),
            deterministic_recall=float(raw["training"]["deterministic_recall"]),
            em_max_iterations=int(raw["training"]["em_max_iterations"]),
            m_floor=float(raw["training"]["m_floor"]),
            cluster_probability=float(raw["clustering"]["match_probability"]),
            retrieve_probability=float(raw["clustering"]["retrieve_probability"]),
            differing_nhs_is_cannot_link=bool(raw["clustering"]["differing_nhs_is_cannot_link"]),
            twin_guard=bool(raw["clustering"]["twin_guard"]),
            dob_guard=bool(raw["clustering"]["dob_guard"]),
            namesake_guard=bool(raw["clustering"].get("namesake_guard", False)),
            lone_name_is_error=bool(raw["clustering"].get("lone_name_is_error", False)),
            dob_guard_under_age=_optional_int(raw["clustering"].get("dob_guard_under_age")),
            join_probability=float(raw["resolve"]["join_probability"]),
            review_probability=float(raw["resolve"]["review_probability"]),
        )
    if not 0 < s.review_probability < s.join_probability < 1:
        raise LinkageSettingsError(
            f"{LINKAGE_FILE}: resolve needs 0 < review_probability < join_probability < 1"
        )
    return s


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LinkageSettingsError(
            f"{LINKAGE_FILE}: dob_guard_under_age must be a whole number of years, not {value!r}"
        )
    return value


def _swapped() -> cll.CustomLevel:
    return cll.CustomLevel(
        "first_name_l = surname_r AND surname_l = first_name_r", "first name and surname swapped"
    )


def _swapped_slip(s: LinkageSettings) -> cll.CustomLevel:
    """Swapped, with a slip in either name: the two names were typed into each other's field
    and one of them mistyped (``whiite harriet`` / ``harriet white``)."""
    return cll.CustomLevel(
        f"jaro_winkler_similarity(first_name_l, surname_r) >= {s.name_strong} AND "
        f"jaro_winkler_similarity(surname_l, first_name_r) >= {s.name_strong}",
        "first name and surname swapped, one mistyped",
    )


def _first_name(s: LinkageSettings) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name").configure(tf_adjustment_column="first_name"),
            _swapped(),
            _swapped_slip(s),
            cll.ArrayIntersectLevel("first_name_keys", min_intersection=1).configure(
                label_for_charts="nickname or short form"
            ),
            cll.ExactMatchLevel("first_name_dm").configure(label_for_charts="sounds alike"),
            cll.JaroWinklerLevel("first_name", s.name_strong),
            cll.CustomLevel(
                "first_name_l = middle_name_r OR middle_name_l = first_name_r",
                "first name used as middle name",
            ),
            cll.JaroWinklerLevel("first_name", s.name_weak),
            cll.ElseLevel(),
        ],
    )


def _surname(s: LinkageSettings) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname").configure(tf_adjustment_column="surname"),
            _swapped(),
            _swapped_slip(s),
            cll.ArrayIntersectLevel("surname_parts", min_intersection=1).configure(
                label_for_charts="shares part of a hyphenated surname"
            ),
            cll.ExactMatchLevel("surname_dm").configure(label_for_charts="sounds alike"),
            cll.JaroWinklerLevel("surname", s.name_strong),
            cll.JaroWinklerLevel("surname", s.name_weak),
            cll.ElseLevel(),
        ],
    )


def _dob() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel(
                "dob_year_l = dob_year_r AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
                "day and month transposed",
            ),
            cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="one-digit slip"),
            cll.CustomLevel(
                "dob_year_l = dob_year_r AND dob_month_l = dob_month_r", "same year and month"
            ),
            cll.ElseLevel(),
        ],
    )


def _home(s: LinkageSettings) -> cl.CustomComparison:
    """Postcode and address as one comparison: they say the same thing (where the child lives),
    and counting both would add ~24 bits for any two people of one household (parent and child).
    """
    same_address = cll.JaroWinklerLevel("address", s.address_similarity)
    return cl.CustomComparison(
        output_column_name="home",
        comparison_levels=[
            cll.And(cll.NullLevel("postcode"), cll.NullLevel("address")),
            cll.And(cll.ExactMatchLevel("postcode"), same_address).configure(
                label_for_charts="same home (postcode and address)"
            ),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="same postcode"),
            cll.And(same_address, cll.ExactMatchLevel("postcode_outward")).configure(
                label_for_charts="same address, postcode mistyped"
            ),
            cll.ExactMatchLevel("postcode_sector").configure(label_for_charts="same sector"),
            cll.ExactMatchLevel("postcode_outward").configure(label_for_charts="same district"),
            cll.JaroWinklerLevel("address", s.address_similarity).configure(
                label_for_charts="same address, postcode differs"
            ),
            cll.ElseLevel(),
        ],
    )


def comparisons(s: LinkageSettings) -> list[Any]:
    """The project's comparisons, strongest evidence first within each."""
    return [
        _first_name(s),
        cl.CustomComparison(
            output_column_name="middle_name",
            comparison_levels=[
                cll.NullLevel("middle_name"),
                cll.ExactMatchLevel("middle_name"),
                cll.CustomLevel(
                    "substr(middle_name_l, 1, 1) = substr(middle_name_r, 1, 1)", "same initial"
                ),
                cll.ElseLevel(),
            ],
        ),
        _surname(s),
        _dob(),
        cl.ExactMatch("sex"),
        _home(s),
        cl.ExactMatch("nhs_number"),
    ]


def blocking_rules(rules: tuple[tuple[str, ...] | str, ...]) -> list[Any]:
    """Splink blocking-rule creators (or SQL strings) from the rule tuples above."""
    return [r if isinstance(r, str) else block_on(*r) for r in rules]


def project_settings(s: LinkageSettings | None = None) -> SettingsCreator:
    """The project's Splink settings: dedupe across all agencies' records."""
    s = s or load_linkage_settings()
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=comparisons(s),
        blocking_rules_to_generate_predictions=blocking_rules(PREDICTION_BLOCKING_RULES),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        max_iterations=s.em_max_iterations,
    )


def tutorial_settings() -> SettingsCreator:
    """Splink's tutorial set-up on the person columns, with the same blocking, for comparison."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nhs_number"),
        ],
        blocking_rules_to_generate_predictions=blocking_rules(PREDICTION_BLOCKING_RULES),
        retain_intermediate_calculation_columns=True,
    )
