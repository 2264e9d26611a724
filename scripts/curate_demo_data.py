"""Builds the demo data set (src/homecoming/demo/data/*.csv) from ../shared/reference/karabakh.

Run by a maintainer when the reference facts change; the package ships its output so that `homecoming demo`
works without ../shared. Every row keeps the source address of the fact it copies; where sources disagree,
each figure is kept as its own row. Nothing here invents a figure: a value the reference does not give is
left empty. Each file (or group of files) is curated by its own module of scripts/curation.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts/curation, however this file is run or loaded
from curation import common, finance, housing, mine_action, returns, territory, works
from curation.common import Rows, save
from curation.spellings import RULE, measure_rule, place_spellings
from curation.territory import resettlement_codes

__all__ = ["RULE", "build", "measure_rule", "resettlement_codes", "save"]  # what tests/demo/test_demo_curation.py uses
OUT = Path(__file__).resolve().parents[1] / "src/homecoming/demo/data"


def build(reference: Path) -> dict[str, Rows]:
    """Every file of the demo data set (but heritage_sites.csv, curated by hand), from the reference folder."""
    common.start(reference)
    territory.regions_and_districts()
    territory.settlements()
    works.projects()
    housing.housing_stock()
    finance.budgets()
    finance.cumulative_budgets()
    returns.return_events()
    returns.convoys()
    returns.national_returns()
    returns.targets()
    mine_action.clearance()
    mine_action.mine_action_operators()
    mine_action.casualty_figures()
    place_spellings()
    return dict(common.built)


if __name__ == "__main__":
    made = build(Path(sys.argv[1]) if len(sys.argv) > 1 else common.REFERENCE)
    save(made, OUT)
    reproduced, given, _missed = measure_rule(made["place_spellings.csv"])
    print(f"the transliteration rule reproduces {reproduced} of the {given} spellings the reference gives")
