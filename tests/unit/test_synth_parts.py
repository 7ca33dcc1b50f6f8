"""Properties of the generator's parts: identifiers, keyboard slips, noise logging, CLI."""

from __future__ import annotations

import inspect
import random
import re
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from safeguard.cli import app
from safeguard.domain.nhs import is_valid_nhs_number
from safeguard.synth import identifiers as ids
from safeguard.synth import scenarios, victims
from safeguard.synth.names import load_name_pools, load_name_variants
from safeguard.synth.noise import apply_noise, keyboard_slip
from safeguard.synth.params import NOISE_TYPES, NoiseRates, SynthParams
from safeguard.synth.population import PersonFactory, load_area_contexts, make_household

words = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=15
)


@given(st.integers(0, 9_999_999), st.integers(0, 10_000))
def test_nhs_numbers_are_valid_and_synthetic(index: int, seed: int) -> None:
    n = ids.nhs_number(index, seed)
    assert is_valid_nhs_number(n) and n.startswith("9")


def test_nhs_numbers_are_unique_across_people() -> None:
    numbers = [ids.nhs_number(i, 3) for i in range(1, 50_001)]
    assert len(set(numbers)) == len(numbers)


@given(st.integers(0, 9_999_999), st.integers(0, 2**32))
def test_a_mistyped_nhs_number_is_valid_but_different(index: int, seed: int) -> None:
    true = ids.nhs_number(index, 1)
    wrong = ids.mistype_nhs_number(true, random.Random(seed))
    assert wrong != true and is_valid_nhs_number(wrong)


@given(words, st.integers(0, 2**32))
def test_a_keyboard_slip_changes_a_word_by_one_edit(word: str, seed: int) -> None:
    slipped = keyboard_slip(word, random.Random(seed))
    assert slipped != word
    assert abs(len(slipped) - len(word)) <= 1


@given(words, words, st.dates(date(1950, 1, 1), date(2024, 12, 31)), st.sampled_from("MF"))
def test_driving_licence_numbers_have_the_dvla_shape(
    surname: str, first: str, dob: date, sex: str
) -> None:
    number = ids.driving_licence(surname, first, None, dob, sex)
    assert re.fullmatch(r"[A-Z9]{5}\d{6}[A-Z9]{2}9[A-Z]{2}", number)


def test_postcodes_use_the_real_outward_code() -> None:
    pc = ids.postcode("S60", random.Random(1))
    assert re.fullmatch(r"S60 \d[A-Z]{2}", pc)


@given(st.integers(0, 2**32))
def test_every_departure_from_the_truth_is_logged(seed: int) -> None:
    rng = random.Random(seed)
    params = SynthParams()
    contexts, _ = load_area_contexts(2)
    factory = PersonFactory(seed, params)
    adults, kids = make_household(factory, rng, contexts[0], 2, None)
    always = NoiseRates(**{n: 0.5 for n in NOISE_TYPES})
    for person in adults + kids:
        rec, log = apply_noise(person, always, load_name_variants(), rng, params.as_of, "Smith")
        logged = {field for _, field, _, _ in log}
        if rec.nhs_number != person.nhs_number:
            assert "nhs_number" in logged
        if rec.dob != person.dob:
            assert "dob" in logged
        if rec.postcode != person.postcode:
            assert "postcode" in logged
        if rec.middle_name != person.middle_name:
            assert "middle_name" in logged
        if (rec.first_name, rec.surname) != (person.first_name, person.surname):
            assert logged & {"first_name", "surname"}


def test_no_noise_means_an_exact_copy() -> None:
    rng = random.Random(2)
    params = SynthParams()
    contexts, _ = load_area_contexts(1)
    adults, kids = make_household(PersonFactory(2, params), rng, contexts[0], 3, None)
    none = NoiseRates(**{n: 0.0 for n in NOISE_TYPES})
    for person in adults + kids:
        rec, log = apply_noise(person, none, load_name_variants(), rng, params.as_of, "")
        assert log == []
        assert (rec.first_name, rec.surname, rec.dob) == (
            person.first_name,
            person.surname,
            person.dob,
        )


def test_every_community_has_names_for_both_sexes() -> None:
    pools = load_name_pools()
    for community in (
        "british",
        "irish",
        "indian",
        "chinese",
        "african",
        "eastern_european",
        "muslim",
    ):
        assert (community, "M") in pools.first and (community, "F") in pools.first
        assert community in pools.last


def test_victim_choice_reads_no_protected_field() -> None:
    """Victims are chosen by index and shaped by age and sex only, never by ethnicity."""
    for fn in (scenarios.plan_scenarios, victims.place_victim):
        source = inspect.getsource(fn)
        for field in ("ethnicity", "nationality", "immigration", "community"):
            assert field not in source.replace("child.community", ""), (fn.__name__, field)


def test_cli_synth_writes_feeds_and_prints_a_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["synth", "--children", "200", "--seed", "2", "--out", str(tmp_path), "--las", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "exploited children" in result.output
    assert (tmp_path / "truth" / "record_person.csv").exists()


def test_cli_synth_refuses_a_bad_number_of_areas(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["synth", "--children", "200", "--out", str(tmp_path), "--las", "40"]
    )
    assert result.exit_code != 0
    assert "local authorities must be 1 to 10" in " ".join(result.output.split())


def test_public_surface_is_small_and_listed() -> None:
    import safeguard.synth as synth

    assert sorted(synth.__all__) == sorted(
        ["DEMO_CHILDREN", "DEMO_SEED", "NoiseRates", "RegionSummary", "ScenarioRates",
         "SynthParams", "agency_codes", "demo_region", "generate_region",
         "region", "report"]
    )  # fmt: skip
    assert all(hasattr(synth, name) for name in synth.__all__)
