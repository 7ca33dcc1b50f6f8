"""A large synthetic police feed (persons and events) with known content, for fault tests."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from safeguard.domain.nhs import is_valid_nhs_number

AGENCY = "POLICE-E23000011"
FIRST = ["Amelia", "Bilal", "Chloe", "Daniel", "Ella", "Farah", "George", "Hana", "Isaac", "Jade"]
SURNAMES = ["Hartley", "Hussain", "Cole", "Begum", "Walsh", "Khan", "Price", "Ali", "Reid", "Shaw"]


def nhs_numbers(rng: random.Random) -> str:
    while True:
        number = str(rng.randrange(400_000_000, 999_999_999)) + "0"
        body = number[:9]
        total = sum(int(d) * (10 - i) for i, d in enumerate(body))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10 and is_valid_nhs_number(body + str(check)):
            return body + str(check)


def write_big_feeds(folder: Path, people: int, seed: int = 7) -> tuple[Path, Path]:
    """``people`` children (each with an NHS number) and one missing episode per child."""
    rng = random.Random(seed)
    persons, events = folder / "persons.csv", folder / "events.csv"
    seen: set[str] = set()
    with persons.open("w", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["local_id", "first_name", "surname", "dob", "sex", "postcode",
                      "nhs_number", "ethnicity", "nationality"])  # fmt: skip
        for i in range(people):
            nhs = nhs_numbers(rng)
            while nhs in seen:
                nhs = nhs_numbers(rng)
            seen.add(nhs)
            out.writerow([f"P{i}", rng.choice(FIRST), rng.choice(SURNAMES),
                          f"{rng.randint(2007, 2016)}-{rng.randint(1, 12):02d}-"
                          f"{rng.randint(1, 28):02d}", rng.choice("MF"), "S60 1AA", nhs, "13",
                          "GBR"])  # fmt: skip
    with events.open("w", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["local_id", "event_type", "occurred_at", "participants", "postcode"])
        for i in range(people):
            out.writerow([f"E{i}", "missing_episode", f"2024-{rng.randint(1, 12):02d}-01",
                          f"subject:P{i}", "S60 1AA"])  # fmt: skip
    return persons, events
