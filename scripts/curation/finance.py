"""budget_allocations.csv and cumulative_budgets.csv: every budget figure the reference gives, yearly and over several
years, kept apart."""

from __future__ import annotations

from curation.common import noted, read, write

GREAT_RETURN = "https://www.azernews.az/nation/181004.html"
BUDGET_2026 = (
    "https://report.az/ru/finansy/v-2026-godu-3-5-mlrd-manatov-budet-"
    "napravleno-na-vosstanovlenie-karabaha-i-vostochnogo-zangezura"
)
MINFIN_2025 = (
    "https://report.az/ru/finansy/minfin-v-2025g-na-vosstanovlenie-"
    "osvobozhdennyh-territorij-vydeleno-4-4-mlrd-manatov-iz-gosbyudzheta"
)
# Every budget figure the reference gives: (year, kind, billions, currency, rate to AZN, source, note)
BUDGET_FIGURES = [
    (2021, "planned", 2.2, "AZN", 1.0, GREAT_RETURN, "planned (great_return.csv)"),
    (2021, "allocated", 1.5, "USD", 1.7, "Azernews 2022-04-28", "1.5 bn USD (programme_facts.csv)"),
    (2022, "planned", 2.2, "AZN", 1.0, "https://en.trend.az/business/3755569.html", "planned"),
    (2022, "revised", 2.67, "AZN", 1.0, "https://en.trend.az/business/3755569.html", "2.2 + 0.47 amendment"),
    (2022, "spent", 2.6, "AZN", 1.0, "https://en.trend.az/business/3755569.html", "spent"),
    (2023, "planned", 3.0, "AZN", 1.0, "https://en.trend.az/business/3758216.html", "planned"),
    (2023, "revised", 5.2, "AZN", 1.0, "https://en.trend.az/business/3758216.html", "after +2.2 revision"),
    (2023, "allocated", 5.6, "AZN", 1.0, "https://en.trend.az/business/3758216.html", "allocated (Asadov)"),
    (2024, "planned", 3.8, "AZN", 1.0, MINFIN_2025, "planned"),
    (2024, "revised", 4.0, "AZN", 1.0, MINFIN_2025, "4.0 (Asadov)"),
    (2024, "allocated", 4.856, "AZN", 1.0, MINFIN_2025, "allocated"),
    (2025, "planned", 4.0, "AZN", 1.0, MINFIN_2025, "planned"),
    (2025, "allocated", 4.466, "AZN", 1.0, MINFIN_2025, "allocated; 10.1% of budget"),
    (2026, "planned", 3.5, "AZN", 1.0, BUDGET_2026, "draft budget"),
]


def budgets() -> None:
    """Every budget figure the reference gives, one row each, conflicting figures kept side by side."""
    rows = []
    for year, kind, billions, currency, rate, source, note in BUDGET_FIGURES:
        if currency == "USD":
            note += "; rate 1.7 AZN/USD (the manat's peg since 2017)"
        rows.append(
            {
                "code": f"{year}-{kind}-{currency.lower()}",
                "year": year,
                "source_kind": "state_budget",
                "figure_kind": kind,
                "amount": round(billions * 1e9),
                "currency": currency,
                "rate_to_azn": rate,
                "note": note,
                "source_url": source,
                "source_date": "",
            }
        )
    write("budget_allocations.csv", rows)


def cumulative_budgets() -> None:
    """Running totals over several years, kept apart from the yearly figures they would otherwise be added to."""
    rows = []
    for row in read("great_return.csv"):
        if row["indicator"] == "budget cumulative":
            first, last = row["period_or_date"].split("-")
            rows.append(_cumulative(first, last, "", float(row["value"]), "AZN",
                                    noted("the reference does not say whether planned, allocated or spent",
                                          row["note"]), row["source"]))  # fmt: skip
    for fact in read("programme_facts.csv"):
        if fact["topic"] == "budget" and fact["fact"].startswith("planned spending"):
            first, last = fact["date_or_period"].split("-")
            rows.append(_cumulative(first, last, "planned", float(fact["value"]), "AZN",
                                    f"{fact['fact']}: {fact['value']} {fact['unit']}", fact["source"]))  # fmt: skip
    write("cumulative_budgets.csv", rows)


def _cumulative(
    first: str, last: str, kind: str, billions: float, currency: str, note: str, source: str
) -> dict[str, object]:
    return {"code": f"{first}-{last}-{kind or 'total'}-{currency.lower()}", "first_year": first, "last_year": last,
            "figure_kind": kind, "amount": round(billions * 1e9), "currency": currency, "rate_to_azn": 1.0,
            "note": note, "source_url": source, "source_date": ""}  # fmt: skip
