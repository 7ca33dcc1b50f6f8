"""Cleaning before comparing: the same standard form for every record, in DuckDB SQL.

Names are lower-cased, stripped of punctuation, titles and ordinals; blanks become NULL; the
postcode is split into outward code and sector; invalid NHS numbers are dropped (a number that
fails the modulus-11 check is a typo and would only add noise). Phonetic (double metaphone) and
nickname keys are computed in Python once per distinct name and joined back: the ``nicknames``
package (US-centred) and a published list of English short forms (``data/english_diminutives.csv``,
Charlie/Charlotte, Florrie/Florence, Alfie/Alfred).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import duckdb
import pandas as pd
from doublemetaphone import doublemetaphone
from nicknames import NickNamer

from safeguard.domain.codes import CodeListError, read_data_csv
from safeguard.domain.nhs import is_valid_nhs_number

#: The only input columns linkage reads. Anything else (ethnicity, nationality …) is dropped
#: before the data reaches the model.
REQUIRED_COLUMNS = ("record_id", "first_name", "surname", "dob")
OPTIONAL_COLUMNS = ("sex", "postcode", "middle_name", "nhs_number", "address")
INPUT_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

_TITLES = (
    "mr|mrs|miss|ms|mstr|master|dr|rev|sir|lady|lord|jr|jnr|junior|sr|snr|senior|"
    "ii|iii|iv|1st|2nd|3rd"
)
#: Titles as words of their own: spaces round one or more of them (the name is padded with a
#: space each side first). The same pattern in DuckDB (RE2) and Python.
_TITLE_WORDS = f"\\s+(?:(?:{_TITLES})\\s+)+"


def _squashed(text: str) -> str:
    """SQL: runs of spaces made one, spaces and stray hyphens trimmed from the ends."""
    return f"trim(regexp_replace({text}, '\\s+', ' ', 'g'), ' -')"


def _clean_name(column: str) -> str:
    """SQL: lower, letters/space/hyphen only, hyphens joined, titles dropped, blank → NULL.

    A title is dropped only as a word of its own (Mr John, Smith Jnr), never from inside a
    hyphenated name (Lord-Grey), and a name that is nothing but a title is a name (Scarlett
    Lord): it is kept, not blanked."""
    text = (
        f"regexp_replace(lower(trim(coalesce(CAST({column} AS VARCHAR), ''))), "
        f"'[^a-z \\-]', '', 'g')"
    )
    joined = f"regexp_replace({text}, '\\s*-\\s*', '-', 'g')"
    no_titles = _squashed(f"regexp_replace(' ' || {joined} || ' ', '{_TITLE_WORDS}', ' ', 'g')")
    return f"nullif(CASE WHEN {no_titles} = '' THEN {_squashed(joined)} ELSE {no_titles} END, '')"


#: A UK postcode without its space (A9 9AA … AA9A 9AA). Anything else that is not blank is a
#: foreign or malformed code: kept whole, compared only for equality (no district or sector).
UK_POSTCODE = "[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}"

#: Dates of birth as agencies write them, rewritten to YYYY-MM-DD text before comparing. What is
#: not a real date stays as text (1856-86-18): the comparison works on the text, so a slip that
#: makes an impossible date still counts as one slip, and it is never a reason to refuse a file.
_DOB_DIGITS = "[0-9]{8}"  # 19560409
_DOB_DAY_FIRST = "([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})"  # 9/4/1956, 09.04.1956
_DOB_YEAR_FIRST = "([0-9]{4})[/.]([0-9]{1,2})[/.]([0-9]{1,2})"  # 1956/4/9
_DOB_WITH_TIME = "([0-9]{4}-[0-9]{2}-[0-9]{2})[ T].*"  # 1956-04-09 00:00:00


def standardised_dob_sql(raw: str) -> str:
    """SQL: ``raw`` (trimmed text or NULL) as YYYY-MM-DD where a known layout allows."""
    pad = "lpad(regexp_extract({r}, '{p}', {g}), {n}, '0')"

    def part(pattern: str, group: int, width: int) -> str:
        return pad.format(r=raw, p=pattern, g=group, n=width)

    return f"""CASE
        WHEN regexp_full_match({raw}, '{_DOB_DIGITS}')
            THEN substr({raw}, 1, 4) || '-' || substr({raw}, 5, 2) || '-' || substr({raw}, 7, 2)
        WHEN regexp_full_match({raw}, '{_DOB_DAY_FIRST}')
            THEN {part(_DOB_DAY_FIRST, 3, 4)} || '-' || {part(_DOB_DAY_FIRST, 2, 2)} || '-'
                 || {part(_DOB_DAY_FIRST, 1, 2)}
        WHEN regexp_full_match({raw}, '{_DOB_YEAR_FIRST}')
            THEN {part(_DOB_YEAR_FIRST, 1, 4)} || '-' || {part(_DOB_YEAR_FIRST, 2, 2)} || '-'
                 || {part(_DOB_YEAR_FIRST, 3, 2)}
        WHEN regexp_full_match({raw}, '{_DOB_WITH_TIME}')
            THEN regexp_extract({raw}, '{_DOB_WITH_TIME}', 1)
        ELSE {raw} END"""


def standardise_sql(source: str) -> str:
    """SQL turning ``source`` (the input columns) into the standard form."""
    pc = "upper(regexp_replace(coalesce(CAST(postcode AS VARCHAR), ''), '[^A-Za-z0-9]', '', 'g'))"
    raw_dob = "nullif(trim(CAST(dob AS VARCHAR)), '')"
    return f"""
    WITH base AS (
        SELECT CAST(record_id AS VARCHAR) AS record_id,
               {_clean_name("first_name")} AS first_name,
               {_clean_name("middle_name")} AS middle_name,
               {_clean_name("surname")} AS surname,
               {standardised_dob_sql(raw_dob)} AS dob,
               CASE WHEN upper(trim(CAST(sex AS VARCHAR))) IN ('M', 'F', 'X')
                    THEN upper(trim(CAST(sex AS VARCHAR))) END AS sex,
               nullif({pc}, '') AS pc,
               regexp_full_match({pc}, '{UK_POSTCODE}') AS pc_uk,
               nullif(trim(regexp_replace(lower(coalesce(CAST(address AS VARCHAR), '')),
                      '[^a-z0-9 ]', '', 'g')), '') AS address,
               nullif(regexp_replace(coalesce(CAST(nhs_number AS VARCHAR), ''), '[^0-9]', '',
                      'g'), '') AS nhs_number
        FROM {source}
    )
    SELECT record_id, first_name, middle_name, surname,
           CASE WHEN surname IS NOT NULL THEN string_split(replace(surname, ' ', '-'), '-')
           END AS surname_parts,
           dob,
           nullif(substr(dob, 1, 4), '') AS dob_year, nullif(substr(dob, 6, 2), '') AS dob_month,
           nullif(substr(dob, 9, 2), '') AS dob_day,
           sex,
           CASE WHEN pc_uk THEN substr(pc, 1, length(pc) - 3) || ' ' || right(pc, 3) ELSE pc
           END AS postcode,
           CASE WHEN pc_uk THEN substr(pc, 1, length(pc) - 3) ELSE pc END AS postcode_outward,
           CASE WHEN pc_uk THEN substr(pc, 1, length(pc) - 2) ELSE pc END AS postcode_sector,
           address, nhs_number
    FROM base
    """


def standardise(con: duckdb.DuckDBPyConnection, source: str, target: str) -> None:
    """Create table ``target`` with the standard form of the records in ``source``."""
    columns = {row[0] for row in con.execute(f"DESCRIBE {source}").fetchall()}
    fill = ", ".join(f"NULL::VARCHAR AS {c}" for c in OPTIONAL_COLUMNS if c not in columns)
    keep = ", ".join(c for c in INPUT_COLUMNS if c in columns)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW __sg_input AS SELECT {keep}{', ' + fill if fill else ''} "
        f"FROM {source}"
    ).fetchall()
    con.execute(f"CREATE OR REPLACE TABLE __sg_clean AS {standardise_sql('__sg_input')}").fetchall()
    _drop_invalid_nhs(con)
    names = con.execute(
        "SELECT DISTINCT first_name AS name FROM __sg_clean WHERE first_name IS NOT NULL "
        "UNION SELECT DISTINCT surname FROM __sg_clean WHERE surname IS NOT NULL"
    ).df()
    keys = name_keys(names["name"].tolist())
    con.register("__sg_name_keys", keys)
    con.execute(
        f"""CREATE OR REPLACE TABLE {target} AS
        SELECT c.*, f.dm AS first_name_dm, f.keys AS first_name_keys, s.dm AS surname_dm
        FROM __sg_clean c
        LEFT JOIN __sg_name_keys f ON c.first_name = f.name
        LEFT JOIN __sg_name_keys s ON c.surname = s.name"""
    ).fetchall()
    con.unregister("__sg_name_keys")
    con.execute("DROP TABLE __sg_clean").fetchall()


def _drop_invalid_nhs(con: duckdb.DuckDBPyConnection) -> None:
    numbers = con.execute(
        "SELECT DISTINCT nhs_number FROM __sg_clean WHERE nhs_number IS NOT NULL"
    ).fetchall()
    invalid = pd.DataFrame({"n": [n for (n,) in numbers if not is_valid_nhs_number(n)]})
    if len(invalid):
        con.register("__sg_bad_nhs", invalid)
        con.execute(
            "UPDATE __sg_clean SET nhs_number = NULL "
            "WHERE nhs_number IN (SELECT n FROM __sg_bad_nhs)"
        ).fetchall()
        con.unregister("__sg_bad_nhs")


def standardise_one(con: duckdb.DuckDBPyConnection, record: dict[str, object], target: str) -> None:
    """``standardise`` for a single record in three statements (the real-time path)."""
    values = {c: record.get(c) for c in INPUT_COLUMNS}
    nhs = values.get("nhs_number")
    if isinstance(nhs, str) and nhs.strip() and not is_valid_nhs_number(nhs):
        values["nhs_number"] = None
    row = ", ".join(f"CAST(? AS VARCHAR) AS {c}" for c in INPUT_COLUMNS)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __sg_one AS {standardise_sql(f'(SELECT {row})')}",
        [None if v is None or v is pd.NA or v != v else str(v) for v in values.values()],
    ).fetchall()
    first, surname = con.execute("SELECT first_name, surname FROM __sg_one").fetchall()[0]
    f_dm, f_keys = _keys_of(first)
    s_dm, _ = _keys_of(surname)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT *, CAST(? AS VARCHAR) AS first_name_dm, "
        "CAST(? AS VARCHAR[]) AS first_name_keys, CAST(? AS VARCHAR) AS surname_dm FROM __sg_one",
        [f_dm, f_keys, s_dm],
    ).fetchall()


#: The standardised table's columns, in order (``standardise`` and ``standardise_record``).
STANDARD_COLUMNS = (
    "record_id",
    "first_name",
    "middle_name",
    "surname",
    "surname_parts",
    "dob",
    "dob_year",
    "dob_month",
    "dob_day",
    "sex",
    "postcode",
    "postcode_outward",
    "postcode_sector",
    "address",
    "nhs_number",
    "first_name_dm",
    "first_name_keys",
    "surname_dm",
)
_NOT_NAME = re.compile(r"[^a-z \-]")
_TITLE = re.compile(_TITLE_WORDS)
_HYPHEN = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")
_NOT_POSTCODE = re.compile(r"[^A-Za-z0-9]")
_NOT_ADDRESS = re.compile(r"[^a-z0-9 ]")
_NOT_DIGIT = re.compile(r"[^0-9]")
_UK_POSTCODE = re.compile(UK_POSTCODE)
_Rewrite = Callable[[re.Match[str]], str]
_DOB_LAYOUTS: tuple[tuple[re.Pattern[str], _Rewrite], ...] = (
    (re.compile(_DOB_DIGITS), lambda m: f"{m[0][0:4]}-{m[0][4:6]}-{m[0][6:8]}"),
    (re.compile(_DOB_DAY_FIRST), lambda m: f"{m[3]:0>4}-{m[2]:0>2}-{m[1]:0>2}"),
    (re.compile(_DOB_YEAR_FIRST), lambda m: f"{m[1]:0>4}-{m[2]:0>2}-{m[3]:0>2}"),
    (re.compile(_DOB_WITH_TIME), lambda m: str(m[1])),
)


def standard_dob(raw: str | None) -> str | None:
    """``standardised_dob_sql`` in Python: a known layout as YYYY-MM-DD, anything else as is."""
    if raw is None:
        return None
    for pattern, rewrite in _DOB_LAYOUTS:
        match = pattern.fullmatch(raw)
        if match:
            return rewrite(match)
    return raw


def _text(value: object) -> str:
    """CAST(value AS VARCHAR) with NULL as ''."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


#: What DuckDB's ``trim`` strips: the Unicode space separators (no-break space included), not
#: tabs or newlines (found by the hypothesis test of Python against SQL with a no-break space).
_DUCKDB_SPACES = "".join(chr(c) for c in range(0x3001) if unicodedata.category(chr(c)) == "Zs")


def _trim(text: str) -> str:
    """DuckDB's ``trim``: space separators only, not tabs or newlines."""
    return text.strip(_DUCKDB_SPACES)


@lru_cache(maxsize=200_000)
def clean_name(value: str) -> str | None:
    """``_clean_name`` in Python: the same regular expressions as the SQL."""
    joined = _HYPHEN.sub("-", _NOT_NAME.sub("", _trim(value).lower()))
    return _squash(_TITLE.sub(" ", f" {joined} ")) or _squash(joined) or None


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip(" -")


def standardise_record(record: dict[str, Any]) -> dict[str, Any]:
    """``standardise`` for one record in plain Python (the real-time path, no SQL per call).

    Gives exactly what the SQL gives for the same input (tested on generated and hostile
    text), so a record scored in real time looks as it will in the next batch link.
    """
    first, middle, surname = (clean_name(_text(record.get(c))) for c in _NAMES)
    dob = standard_dob(_trim(_text(record.get("dob"))) or None)
    sex = _trim(_text(record.get("sex"))).upper()
    pc = _NOT_POSTCODE.sub("", _text(record.get("postcode"))).upper()
    pc_uk = _UK_POSTCODE.fullmatch(pc) is not None
    foreign = pc if pc and not pc_uk else None
    address = _trim(_NOT_ADDRESS.sub("", _text(record.get("address")).lower())) or None
    nhs = _NOT_DIGIT.sub("", _text(record.get("nhs_number"))) or None
    f_dm, f_keys = _keys_of(first)
    s_dm, _ = _keys_of(surname)
    return {
        "record_id": _text(record.get("record_id")),
        "first_name": first,
        "middle_name": middle,
        "surname": surname,
        "surname_parts": None if surname is None else surname.replace(" ", "-").split("-"),
        "dob": dob,
        "dob_year": None if dob is None else dob[0:4] or None,
        "dob_month": None if dob is None else dob[5:7] or None,
        "dob_day": None if dob is None else dob[8:10] or None,
        "sex": sex if sex in ("M", "F", "X") else None,
        "postcode": pc[:-3] + " " + pc[-3:] if pc_uk else foreign,
        "postcode_outward": pc[:-3] if pc_uk else foreign,
        "postcode_sector": pc[:-2] if pc_uk else foreign,
        "address": address,
        "nhs_number": nhs if nhs is not None and is_valid_nhs_number(nhs) else None,
        "first_name_dm": f_dm,
        "first_name_keys": f_keys,
        "surname_dm": s_dm,
    }


_NAMES = ("first_name", "middle_name", "surname")


@lru_cache(maxsize=100_000)
def _keys_of(name: str | None) -> tuple[str | None, list[str] | None]:
    if name is None:
        return None, None
    dm, keys = _name_key(name)
    return dm, keys


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


#: Published English short forms (source in the file's header and english_diminutives_README.md).
DIMINUTIVES_FILE = "english_diminutives.csv"


@lru_cache(maxsize=1)
def formal_names_of_short_forms() -> dict[str, frozenset[str]]:
    """Each short form in ``DIMINUTIVES_FILE`` → the formal names it is short for (cleaned).

    Only this direction becomes a key: a short form shares a key with its formal names and with
    the other short forms of them (charlie / charlotte, charlie / lottie), while two formal names
    that merely share a short form (charlotte / charlene, both charlie) stay different names, so
    twins given them are still kept apart by the twin guard.
    """
    rows = read_data_csv(DIMINUTIVES_FILE)
    if not {"name", "short_form"} <= rows[0].keys():
        raise CodeListError(f"{DIMINUTIVES_FILE} needs columns name and short_form")
    formal: dict[str, set[str]] = {}
    for line, row in enumerate(rows, start=2):
        name, short = clean_name(row["name"] or ""), clean_name(row["short_form"] or "")
        if name is None or short is None:
            raise CodeListError(f"{DIMINUTIVES_FILE}: data row {line} has a blank name")
        if name != short:
            formal.setdefault(short, set()).add(name)
    return {short: frozenset(names) for short, names in formal.items()}


@lru_cache(maxsize=1)
def listed_given_names() -> frozenset[str]:
    """Every name in ``DIMINUTIVES_FILE``, formal or short (cleaned): known English given names."""
    formal = formal_names_of_short_forms()
    return frozenset(formal).union(*formal.values())


def name_keys(names: list[str]) -> pd.DataFrame:
    """Per distinct name: double-metaphone key, and the name with its nickname/formal forms."""
    rows = [(name, *_name_key(name)) for name in names]
    return pd.DataFrame(rows, columns=["name", "dm", "keys"])


def _name_key(name: str) -> tuple[str | None, list[str]]:
    """One name's double-metaphone key and its nickname/formal forms (itself included)."""
    namer = _nicknamer()
    primary = doublemetaphone(name.replace("-", " "))[0] or None
    forms = {name} | namer.canonicals_of(name) | namer.nicknames_of(name)
    forms |= formal_names_of_short_forms().get(name, frozenset())
    return primary, sorted(forms)


def forms_of_each_other(a: str, b: str) -> bool:
    """True when one cleaned name is among the other's nickname/formal forms (charlie /
    charlotte), as opposed to two names that only share a third form (jay / jamie via james)."""
    return a in (_keys_of(b)[1] or ()) or b in (_keys_of(a)[1] or ())
