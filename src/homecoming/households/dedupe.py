"""Who in the registry may be registered twice: a Fellegi-Sunter model run by splink on an in-process DuckDB.

Splink rather than a hand-rolled matcher: it is the maintained record-linkage library of the field (blocking, the
comparison levels, u estimated from the data, match probabilities), and DuckDB runs it in this process.

The model, parameter by parameter (docs/households.md says the same):
- Candidate pairs (blocking): the same district and birth year, or the same document number.
- Comparisons, each on values normalised first (households.names: Azerbaijani Latin, Cyrillic and the English and
  Russian romanisations to one spelling): given name and family name (exact, Jaro-Winkler >= 0.92, >= 0.80, else),
  birth date (exact, day and month swapped, same year and month, else), document number (exact, else; missing on
  either side says nothing), sex (exact, else).
- m (how often a true duplicate reaches each level) is FIXED from what registries get wrong (M_PROBABILITIES, a
  typo or another romanisation in about one name in five, a swapped date in one in twenty); u (how often two
  different people do) is ESTIMATED from the registry itself by random sampling, seeded, so a run is repeatable
  (below MIN_RECORDS_FOR_U people, too few to sample, the fixed U_PROBABILITIES).
- The prior: about DUPLICATE_SHARE of the records are a second registration of someone (a registry of fewer than
  MIN_RECORDS_FOR_U people is taken as that big).
A pair at or above THRESHOLD goes to the registrar's review list.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homecoming.households.names import name_key

THRESHOLD = 0.5  # match probability from which a pair is put before a registrar (bench/dedupe.py: P and R by threshold)
DUPLICATE_SHARE = 0.02  # the prior: the share of records that are someone's second registration
U_SAMPLE_PAIRS = 2_000_000  # random pairs drawn to estimate u
NAME_LEVELS = (("exact", None), ("very similar", 0.92), ("similar", 0.80))
M_PROBABILITIES: dict[str, tuple[float, ...]] = {  # per comparison, from its first non-null level to `else`
    "given_name": (0.78, 0.12, 0.07, 0.03),
    "family_name": (0.75, 0.15, 0.07, 0.03),
    "birth_date": (0.90, 0.05, 0.02, 0.03),
    "document": (0.95, 0.05),
    "sex": (0.99, 0.01),
}
# u for a registry too small to estimate it from (fewer than MIN_RECORDS_FOR_U people): what random sampling measured
# on the synthetic registry of 30,000 (bench/dedupe.py); a real registry's wider choice of names only lowers the
# name levels', so these are cautious.
MIN_RECORDS_FOR_U = 1_000
U_PROBABILITIES: dict[str, tuple[float, ...]] = {
    "given_name": (0.0285, 0.0015, 0.0231, 0.9469),
    "family_name": (0.0237, 0.0260, 0.0494, 0.9009),
    "birth_date": (0.000034, 0.000013, 0.0009, 0.999053),
    "document": (0.000001, 0.999999),
    "sex": (0.5, 0.5),
}


@dataclass(frozen=True)
class PersonRecord:
    """What the search compares of a person: the registry member's id and the fields it matches on."""

    id: int
    district: str
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str
    document_number: str | None


@dataclass(frozen=True)
class Candidate:
    member_id: int  # the lower id of the two
    other_member_id: int
    match_probability: float
    agreements: dict[str, str]  # comparison -> the level the pair reached


def find_duplicates(people: Sequence[PersonRecord], *, threshold: float = THRESHOLD, seed: int = 0) -> list[Candidate]:
    """Pairs of `people` that the model scores at `threshold` or above, most likely first."""
    if len(people) < 2:
        return []
    import pyarrow as pa  # imported by the search only: the registry's other doors never pay for DuckDB
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.ERROR)
    table = pa.Table.from_pylist([_row(p) for p in people])
    db = DuckDBAPI()
    linker = Linker(db.register(table), _settings(len(people)), log_level=None)
    if len(people) >= MIN_RECORDS_FOR_U:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=seed)
    scored = linker.inference.predict(threshold_match_probability=threshold).as_record_list()
    candidates = [_candidate(row) for row in scored]
    return sorted(candidates, key=lambda c: (-c.match_probability, c.member_id, c.other_member_id))


def _row(person: PersonRecord) -> dict[str, Any]:
    born = person.birth_date
    return {
        "unique_id": person.id,
        "district": person.district,
        "birth_year": born.year,
        "birth_date": born.isoformat(),
        "birth_swapped": f"{born.year:04d}-{born.day:02d}-{born.month:02d}" if born.day <= 12 else None,
        "birth_month": f"{born.year:04d}-{born.month:02d}",
        "given": name_key(person.given_name),
        "family": name_key(person.family_name),
        "document": person.document_number.replace(" ", "").upper() if person.document_number else None,
        "sex": person.sex,
    }


def _levels(name: str, column: str, conditions: Sequence[tuple[str, str]]) -> dict[str, Any]:
    m, u = M_PROBABILITIES[name], U_PROBABILITIES[name]
    null = f"{column}_l IS NULL OR {column}_r IS NULL"
    levels: list[dict[str, Any]] = [{"sql_condition": null, "label_for_charts": "missing", "is_null_level": True}]
    for (label, condition), m_at, u_at in zip([*conditions, ("else", "ELSE")], m, u, strict=True):
        levels.append(
            {"sql_condition": condition, "label_for_charts": label, "m_probability": m_at, "u_probability": u_at}
        )
    return {"output_column_name": name, "comparison_levels": levels}


def _name(name: str, column: str) -> dict[str, Any]:
    conditions = [
        (
            label,
            f"{column}_l = {column}_r" if at is None else f"jaro_winkler_similarity({column}_l, {column}_r) >= {at}",
        )
        for label, at in NAME_LEVELS
    ]
    return _levels(name, column, conditions)


def _settings(records: int) -> dict[str, Any]:
    counted = max(records, MIN_RECORDS_FOR_U)  # a handful of records must not make any two of them likely one person
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": DUPLICATE_SHARE * counted / (counted * (counted - 1) / 2),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": "l.district = r.district AND l.birth_year = r.birth_year"},
            {"blocking_rule": "l.document = r.document"},
        ],
        "comparisons": [
            _name("given_name", "given"),
            _name("family_name", "family"),
            _levels(
                "birth_date",
                "birth_date",
                [
                    ("exact", "birth_date_l = birth_date_r"),
                    ("day and month swapped", "birth_swapped_l = birth_date_r"),
                    ("same month", "birth_month_l = birth_month_r"),
                ],
            ),
            _levels("document", "document", [("exact", "document_l = document_r")]),
            _levels("sex", "sex", [("exact", "sex_l = sex_r")]),
        ],
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": True,
        "additional_columns_to_retain": [],
    }


LABELS = {  # gamma value -> label, per comparison (splink numbers levels from `else` = 0 upwards; -1 is missing)
    "given_name": ("different", "similar", "very similar", "exact"),
    "family_name": ("different", "similar", "very similar", "exact"),
    "birth_date": ("different", "same month", "day and month swapped", "exact"),
    "document": ("different", "exact"),
    "sex": ("different", "exact"),
}


def _candidate(row: dict[str, Any]) -> Candidate:
    left, right = int(row["unique_id_l"]), int(row["unique_id_r"])
    agreements = {
        name: "missing" if int(row[f"gamma_{name}"]) < 0 else labels[int(row[f"gamma_{name}"])]
        for name, labels in LABELS.items()
    }
    return Candidate(min(left, right), max(left, right), round(float(row["match_probability"]), 6), agreements)
