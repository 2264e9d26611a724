"""The stored words a page shows as they are (statuses, sectors, kinds, roles), marked for the catalogues.

The database keeps them as codes (in_progress, ap_mines); the `term` filter (homecoming.web.i18n.word) shows them
in the reader's language: the catalogue's translation, else the English words of IN_ENGLISH, else the code with its
"_" as spaces. `N_` only marks a word for extraction (`make messages`); tests/api/test_i18n.py checks that every
value of these enums is listed here.
"""

from __future__ import annotations


def N_(word: str) -> str:
    return word


TERMS = (
    # works: sectors
    N_("housing"), N_("road"), N_("power"), N_("water"), N_("gas"), N_("telecom"), N_("school"), N_("health"),
    N_("heritage"), N_("airport"), N_("rail"), N_("agriculture"), N_("administration"),
    # works and housing: statuses
    N_("planned"), N_("tendering"), N_("in_progress"), N_("completed"), N_("suspended"), N_("cancelled"),
    N_("building"), N_("ready"), N_("allocated"), N_("occupied"),
    # settlements
    N_("city"), N_("town"), N_("village"),
    # hazard areas
    N_("SHA"), N_("CHA"), N_("open"), N_("worked_on"), N_("closed"),
    # roles
    N_("public"), N_("viewer"), N_("data_entry"), N_("planner"), N_("mine_action_officer"), N_("registrar"),
    N_("procurement_officer"), N_("admin"), N_("contractor"), N_("enumerator"),
    # records a page may not find (homecoming.db.crud.get_by_code)
    N_("settlement"), N_("district"), N_("region"), N_("project"), N_("household"), N_("hazard area"),
    N_("return event"), N_("convoy"), N_("plan run"), N_("tender"), N_("contract"), N_("heritage site"), N_("user"),
    # the data-entry forms' choices (mine action, dates, money)
    N_("non_technical_survey"), N_("technical_survey"), N_("clearance"), N_("ongoing"), N_("utilities"),
    N_("ap_mines"), N_("at_mines"), N_("mixed_mines"), N_("uxo"), N_("cluster_munitions"), N_("unknown"),
    N_("day"), N_("month"), N_("year"), N_("revised"), N_("spent"),
    N_("state_budget"), N_("foreign_state"), N_("investor"), N_("donor"),
    # how good a plan run's schedule is (homecoming.optimisation.sequencing)
    N_("optimal"), N_("feasible"), N_("infeasible"),
    # procurement: tender steps and statuses (shown with "_" as a space), bids, contracts, red flags
    N_("draft"), N_("enquiries"), N_("opening"), N_("evaluation"), N_("awarded"), N_("contract signed"),
    N_("complete"), N_("unsuccessful"), N_("opened"), N_("disqualified"), N_("active"),
    N_("single_bid"), N_("short_submission_period"), N_("lowest_bid_disqualified"), N_("price_close_to_winning_bid"),
    N_("high_bid_disparity"), N_("award_above_estimate"), N_("repeat_winner_in_district"),
    N_("split_below_threshold"), N_("goods"), N_("works"), N_("services"),
    # field submissions: their review
    N_("pending"), N_("approved"), N_("rejected"), N_("correction"), N_("openrosa"), N_("central"), N_("kobo"),
    # jobs (plan runs, risk runs, sweeps)
    N_("queued"), N_("running"), N_("done"), N_("failed"),
    # the audit trail's actions
    N_("create"), N_("update"), N_("delete"),
    # the audit trail's tables (its filter)
    N_("settlements"), N_("districts"), N_("regions"), N_("households"), N_("projects"), N_("hazard_areas"),
    N_("return_events"), N_("convoys"), N_("tenders"), N_("bids"), N_("bidders"), N_("contracts"), N_("milestones"),
    N_("inspections"), N_("payments"), N_("heritage_sites"), N_("budget_allocations"), N_("users"),
    N_("price_lists"), N_("damaged_objects"), N_("damage_counts"), N_("attachments"), N_("plan_runs"),
    N_("housing_stock"), N_("field_submissions"), N_("household_members"), N_("duplicate_candidates"),
    # tender complaints and contract amendments (issue 22): statuses, remedies, red flags, tables
    N_("upheld"), N_("re evaluate"), N_("cancel"), N_("requested"), N_("declined"),
    N_("signed_during_complaint"), N_("repeat_complaints_against_buyer"), N_("price_increase_after_award"),
    N_("tender_complaints"), N_("contract_amendments"),
    # the people of a household: sex, documents, specific needs, how a return was confirmed, duplicate decisions
    N_("female"), N_("male"), N_("national_id"), N_("passport"), N_("birth_certificate"), N_("idp_card"),
    N_("disability"), N_("chronic_illness"), N_("serious_medical_condition"), N_("older_person_alone"),
    N_("single_parent"), N_("pregnant"), N_("unaccompanied_child"), N_("separated_child"), N_("in_person"),
    N_("phone"), N_("field_visit"), N_("written"), N_("same_person"), N_("different"),
    # the duplicate search's comparisons and the levels a pair reached (homecoming.households.dedupe)
    N_("given_name"), N_("family_name"), N_("birth_date"), N_("document"), N_("sex"), N_("exact"),
    N_("very similar"), N_("similar"), N_("same month"), N_("day and month swapped"), N_("missing"),
)  # fmt: skip

# Codes whose English reading is not the code with spaces: abbreviations and terms of the field spelt out.
IN_ENGLISH = {
    "SHA": N_("suspected hazardous area"),
    "CHA": N_("confirmed hazardous area"),
    "ap_mines": N_("anti-personnel mines"),
    "at_mines": N_("anti-tank mines"),
    "uxo": N_("unexploded ordnance"),
    "non_technical_survey": N_("non-technical survey"),
    "data_entry": N_("data entry clerk"),
    "mine_action_officer": N_("mine action officer"),
    "admin": N_("administrator"),
    "state_budget": N_("state budget"),
    "foreign_state": N_("foreign government"),
    "risk_run": N_("risk run"),
    # the red flags' thresholds (homecoming.procurement.red_flags.Thresholds)
    "short_submission_days": N_("shortest submission period (days)"),
    "close_to_runner_up_pct": N_("winning price this close to the next (%)"),
    "bid_disparity_ratio": N_("highest to lowest bid (ratio)"),
    "award_above_estimate_pct": N_("award above the estimate by (%)"),
    "repeat_winner_awards": N_("awards to one bidder in a district"),
    "split_threshold_amount": N_("threshold a split contract stays under (AZN)"),
    "split_margin_pct": N_("how far under the threshold (%)"),
    "split_window_days": N_("days between split tenders"),
    "split_min_tenders": N_("tenders that make a split"),
}  # fmt: skip
