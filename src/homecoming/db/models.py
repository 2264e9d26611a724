"""Imports every domain's models so that Base.metadata holds the whole schema (for Alembic and tests)."""

from homecoming.accounts import models as accounts_models
from homecoming.audit import models as audit_models
from homecoming.damage import models as damage_models
from homecoming.fielddata import models as fielddata_models
from homecoming.files import models as files_models
from homecoming.finance import models as finance_models
from homecoming.grievances import models as grievances_models
from homecoming.heritage import models as heritage_models
from homecoming.households import models as households_models
from homecoming.jobs import models as jobs_models
from homecoming.mine_action import models as mine_action_models
from homecoming.planning import models as planning_models
from homecoming.procurement import models as procurement_models
from homecoming.returns import models as returns_models
from homecoming.risk import models as risk_models
from homecoming.territory import models as territory_models
from homecoming.works import models as works_models

__all__ = [
    "accounts_models",
    "audit_models",
    "damage_models",
    "fielddata_models",
    "files_models",
    "finance_models",
    "grievances_models",
    "heritage_models",
    "households_models",
    "jobs_models",
    "mine_action_models",
    "planning_models",
    "procurement_models",
    "returns_models",
    "risk_models",
    "territory_models",
    "works_models",
]
