"""Words, not codes, on every page: code-list labels as Jinja filters.

Each filter shows the label with the code beside it where a practitioner may need the code
(e.g. an offence's Home Office code), and falls back to the code itself for anything unknown,
so a new code never breaks a page.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from jinja2 import Environment

from safeguard.accounts.roles import ROLES
from safeguard.domain.codes import CodeLists, load_code_lists


@lru_cache(maxsize=1)
def _codes() -> CodeLists:
    return load_code_lists()


def agency_name(code: str | None) -> str:
    """'Rotherham Children's Social Care' for CSC-E08000018; the code if unknown."""
    if not code:
        return ""
    agency = _codes().agencies.get(code)
    return agency.name if agency else code


def area_name(la_code: str | None) -> str:
    """'Rotherham (E08000018)' for an ONS local authority code."""
    if not la_code:
        return ""
    if la_code == "unknown":  # support.intake.AREA_NOT_KNOWN
        return "Area not known yet"
    names = {a.la_code: a.la_name for a in _codes().areas}
    return f"{names[la_code]} ({la_code})" if la_code in names else la_code


def role_label(role: str) -> str:
    """A role in words, e.g. 'multi-agency safeguarding hub practitioner'."""
    text = ROLES.get(role, role)
    return text.removeprefix("a ").removeprefix("an ").split(" (")[0]


def ethnicity_label(code: str | None) -> str:
    """An ONS 2021, police 18+1 or officer-observed IC code in words; 'not stated' kept."""
    if code is None or code == "":
        return ""
    codes = _codes()
    if code in codes.ethnicity_police:
        row = codes.ethnicity_police.extra[code]
        return f"{row.get('group', '')}: {codes.ethnicity_police.descriptions[code]} ({code})"
    if code in codes.ethnicity_observed:
        return f"{codes.ethnicity_observed.descriptions[code]} ({code}, officer-observed)"
    if code in codes.ethnicity_ons2021:
        row = codes.ethnicity_ons2021.extra[code]
        return f"{row.get('group', '')}: {row.get('category', code)} (ONS {code})"
    return "not stated" if code.upper() in ("NS", "NOT_STATED", "NOT STATED") else code


def nationality_label(code: str | None) -> str:
    """An ISO 3166-1 alpha-3 code (or a list 'GBR;PAK') as country names."""
    if not code:
        return ""
    names = []
    for part in code.replace(",", ";").split(";"):
        country = pycountry.countries.get(alpha_3=part.strip().upper())
        names.append(country.name if country else part.strip().replace("_", " "))
    return ", ".join(names)


def offence_label(code: str | None) -> str:
    """A Home Office offence code with its description: 'Sexual grooming (22B)'."""
    if not code:
        return ""
    offences = _codes().offences.descriptions
    return f"{offences[code]} ({code})" if code in offences else code


def event_label(code: str | None) -> str:
    """An event type in words from data/event_types.csv."""
    if not code:
        return ""
    described = _codes().event_types.descriptions.get(code)
    return described.split(" (")[0] if described else code.replace("_", " ")


def words(code: str | None) -> str:
    """A snake_case rule, duty or outcome code as words: 'cse_multi_agency' → 'cse multi agency'."""
    return (code or "").replace("_", " ").replace("-", " ")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 error', '2 errors'."""
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


def install(env: Environment) -> None:
    """Make the labels available to every template."""
    env.filters.update(
        agency_name=agency_name,
        area_name=area_name,
        role_label=role_label,
        ethnicity_label=ethnicity_label,
        nationality_label=nationality_label,
        offence_label=offence_label,
        event_label=event_label,
        words=words,
    )
    env.globals.update(agency_name=agency_name, area_name=area_name, plural=plural)
