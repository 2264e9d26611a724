"""The four field forms: their questions, who may send them and who reviews them.

Each question's label is an English msgid (marked with `N_`), labelled in every language of the catalogue when the
form is built (`fielddata.forms`). Choice lists named `settlements` and `hazard_areas` come from the registry; the
others are the domain's own vocabularies (damage scale, IMAS land-release terms).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from homecoming.accounts.roles import Role
from homecoming.damage import actions as damage_actions
from homecoming.damage.models import AssessmentMethod, DamageLevel, ObjectKind
from homecoming.households import actions as households_actions
from homecoming.mine_action import actions as mine_actions
from homecoming.mine_action.models import ActivityKind, ActivityStatus, ContaminationType, HazardClassification
from homecoming.phrases import N_

MAX_PHOTOS = 5  # photographs of one damaged object


@dataclass(frozen=True)
class Question:
    type: str  # XLSForm type: text, integer, decimal, date, geopoint, geoshape, image, select_one <list>
    name: str
    label: str  # English msgid
    required: bool = False
    appearance: str = ""

    @property
    def list_name(self) -> str | None:
        kind, _, rest = self.type.partition(" ")
        return rest if kind in ("select_one", "select_multiple") else None


@dataclass(frozen=True)
class FormSpec:
    form_id: str
    title: str  # English msgid
    questions: tuple[Question, ...]
    reviewers: tuple[Role, ...]  # the domain's own role tuple: who approves is who may make the change anyway

    @property
    def senders(self) -> tuple[Role, ...]:
        """Enumerators send every form; a reviewer may also send the forms they review."""
        return (Role.ENUMERATOR, *self.reviewers)

    @property
    def list_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.list_name for q in self.questions if q.list_name))

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)


class Evidence(enum.StrEnum):
    """Why an area is suspected (IMAS 08.10 non-technical survey): an accident makes it a casualty risk."""

    ACCIDENT = "accident"
    VISIBLE_ITEMS = "visible_items"
    LOCAL_REPORT = "local_report"
    MILITARY_RECORD = "military_record"


class ReleaseMethod(enum.StrEnum):
    MANUAL = "manual"
    MECHANICAL = "mechanical"
    ANIMAL = "animal_detection"
    COMBINED = "combined"


class YesNo(enum.StrEnum):
    YES = "yes"
    NO = "no"


# The words of the choices, as the catalogue has them (English msgid by stored value).
CHOICE_LABELS: dict[str, str] = {
    ObjectKind.HOUSE: N_("house"), ObjectKind.APARTMENT_BUILDING: N_("apartment building"),
    ObjectKind.SCHOOL: N_("school"), ObjectKind.CLINIC: N_("clinic"),
    ObjectKind.ADMINISTRATIVE_BUILDING: N_("administrative building"), ObjectKind.ROAD_SEGMENT: N_("road segment"),
    ObjectKind.BRIDGE: N_("bridge"), ObjectKind.POWER_ASSET: N_("power asset"),
    ObjectKind.WATER_ASSET: N_("water asset"),
    ObjectKind.GAS_ASSET: N_("gas asset"), ObjectKind.RELIGIOUS_BUILDING: N_("religious building"),
    ObjectKind.MONUMENT: N_("monument"), ObjectKind.CEMETERY: N_("cemetery"), ObjectKind.OTHER: N_("other"),
    DamageLevel.NONE: N_("none"), DamageLevel.PARTIAL: N_("partial"), DamageLevel.SEVERE: N_("severe"),
    DamageLevel.DESTROYED: N_("destroyed"),
    AssessmentMethod.FIELD_SURVEY: N_("field survey"), AssessmentMethod.REMOTE: N_("remote (imagery)"),
    AssessmentMethod.REPORTED: N_("reported"),
    HazardClassification.SHA: N_("SHA"), HazardClassification.CHA: N_("CHA"),
    ContaminationType.ANTI_PERSONNEL: N_("ap_mines"), ContaminationType.ANTI_TANK: N_("at_mines"),
    ContaminationType.MIXED_MINES: N_("mixed_mines"), ContaminationType.UXO: N_("uxo"),
    ContaminationType.CLUSTER: N_("cluster_munitions"), ContaminationType.UNKNOWN: N_("unknown"),
    Evidence.ACCIDENT: N_("accident"), Evidence.VISIBLE_ITEMS: N_("visible items"),
    Evidence.LOCAL_REPORT: N_("local report"), Evidence.MILITARY_RECORD: N_("military record"),
    ActivityKind.NON_TECHNICAL_SURVEY: N_("non_technical_survey"),
    ActivityKind.TECHNICAL_SURVEY: N_("technical_survey"), ActivityKind.CLEARANCE: N_("clearance"),
    ActivityStatus.PLANNED: N_("planned"), ActivityStatus.ONGOING: N_("ongoing"),
    ActivityStatus.SUSPENDED: N_("suspended"), ActivityStatus.COMPLETED: N_("completed"),
    ReleaseMethod.MANUAL: N_("manual"), ReleaseMethod.MECHANICAL: N_("mechanical"),
    ReleaseMethod.ANIMAL: N_("animal detection"), ReleaseMethod.COMBINED: N_("combined"),
    YesNo.YES: N_("yes"), YesNo.NO: N_("no"),
}  # fmt: skip

VOCABULARIES: dict[str, type[enum.StrEnum]] = {
    "object_kinds": ObjectKind, "damage_levels": DamageLevel, "assessment_methods": AssessmentMethod,
    "classifications": HazardClassification, "contamination_types": ContaminationType, "evidence": Evidence,
    "activity_kinds": ActivityKind, "activity_statuses": ActivityStatus, "release_methods": ReleaseMethod,
    "yes_no": YesNo,
}  # fmt: skip

DAMAGE_SURVEY = FormSpec(
    "damage_survey",
    N_("Damage survey of one object"),
    (
        Question("select_one settlements", "settlement", N_("Settlement"), required=True, appearance="minimal"),
        Question("select_one object_kinds", "kind", N_("What is it?"), required=True),
        Question("select_one damage_levels", "level", N_("Damage level"), required=True),
        Question("select_one assessment_methods", "method", N_("How was the damage assessed?"), required=True),
        Question("geopoint", "location", N_("Where is it?"), required=True),
        Question("text", "name", N_("Name or address (optional)")),
        *(Question("image", f"photo_{n}", N_("Photograph")) for n in range(1, MAX_PHOTOS + 1)),
        Question("text", "notes", N_("Notes")),
    ),
    damage_actions.EDITORS,
)
HAZARD_SURVEY = FormSpec(
    "hazard_survey",
    N_("Hazard area survey"),
    (
        Question("select_one evidence", "evidence", N_("Evidence of the hazard"), required=True),
        Question("select_one classifications", "classification", N_("Suspected or confirmed?"), required=True),
        Question("select_one contamination_types", "contamination", N_("Contamination"), required=True),
        Question("geoshape", "shape", N_("Walk or draw the hazard area's boundary"), required=True),
        Question(
            "select_one settlements",
            "blocked_settlement",
            N_("Settlement it blocks"),
            required=True,
            appearance="minimal",
        ),
        Question("text", "notes", N_("Notes")),
    ),
    mine_actions.OFFICERS,
)
LAND_RELEASE = FormSpec(
    "land_release",
    N_("Land-release activity"),
    (
        Question("select_one hazard_areas", "hazard_area", N_("Hazard area"), required=True, appearance="minimal"),
        Question("select_one activity_kinds", "kind", N_("Activity"), required=True),
        Question("select_one release_methods", "method", N_("Method"), required=True),
        Question("select_one activity_statuses", "status", N_("Status"), required=True),
        Question("decimal", "cancelled_m2", N_("Area cancelled (m²)"), required=True),
        Question("decimal", "reduced_m2", N_("Area reduced (m²)"), required=True),
        Question("decimal", "cleared_m2", N_("Area cleared (m²)"), required=True),
        Question("integer", "items_found", N_("Items found")),
        Question("integer", "items_destroyed", N_("Items destroyed")),
        Question("text", "operator", N_("Operator (team)"), required=True),
        Question("date", "start_date", N_("Start date")),
        Question("date", "end_date", N_("End date")),
    ),
    mine_actions.OFFICERS,
)
HOUSEHOLD_VERIFICATION = FormSpec(
    "household_verification",
    N_("Household verification before a convoy"),
    (
        Question("text", "household", N_("Household code"), required=True),
        Question("integer", "members_present", N_("Members present"), required=True),
        Question(
            "select_one yes_no",
            "voluntary_return",
            N_("Does the household reconfirm its voluntary return?"),
            required=True,
        ),
        Question("image", "signature", N_("Signature of the head of household"), required=True, appearance="signature"),
    ),
    households_actions.REGISTRARS,
)
FORMS: dict[str, FormSpec] = {
    form.form_id: form for form in (DAMAGE_SURVEY, HAZARD_SURVEY, LAND_RELEASE, HOUSEHOLD_VERIFICATION)
}
