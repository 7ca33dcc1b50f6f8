"""Roles a user can hold (SYSTEM.md users) and what each may do in general terms."""

from __future__ import annotations

ROLES: dict[str, str] = {
    "agency_system": "an agency's system submitting person records and events",
    "practitioner": "a practitioner in an agency working with children",
    "mash": "a multi-agency safeguarding hub practitioner",
    "analyst": "a police analyst (pseudonymised records, networks)",
    "statistician": "a national statistician (aggregates only)",
    "referral_officer": "an immigration-enforcement referral officer (the referral list only)",
    "immigration_enforcement": (
        "an Immigration Enforcement caseworker (records the decision on a referral)"
    ),
    "licensing_officer": "a taxi and private-hire licensing officer",
    "auditor": "a data-protection officer or auditor",
    "admin": "a platform administrator (accounts, not children's data)",
    "researcher": "a named researcher on an approved research project (de-identified extracts)",
    "output_checker": "a trusted-research output checker (approves tables before release)",
    "school_mh_lead": "a school's mental-health lead (their own pupils' support, never crimes)",
}

#: Roles that may read an identified child's records, subject to need to know.
CHILD_DATA_ROLES = frozenset({"practitioner", "mash"})
#: Roles that may submit agency files.
SUBMIT_ROLES = frozenset({"agency_system"})
#: Roles that may read the national statistics pages (aggregates under disclosure control).
STATS_ROLES = frozenset({"statistician"})
#: Roles that may read immigration-enforcement referrals (the only individual-level use of
#: immigration status).
REFERRAL_ROLES = frozenset({"referral_officer", "immigration_enforcement"})
#: Roles that record a referral's progress (and only at the immigration enforcement agency).
REFERRAL_DECISION_ROLES = frozenset({"immigration_enforcement"})
#: Roles that may follow a referral's progress without its immigration status: the hub, and
#: police practitioners and analysts (at a police agency).
REFERRAL_PROGRESS_ROLES = frozenset({"mash"})
REFERRAL_POLICE_ROLES = frozenset({"practitioner", "analyst"})
#: Roles that may read the risk accountability report (per-LA aggregates of alerts).
RISK_REPORT_ROLES = frozenset({"mash", "auditor", "statistician"})
#: Roles that may read the sharing compliance report (agencies' timeliness, not children): the
#: hubs that chase partners, the statistician who publishes it and the auditor. Agency systems,
#: analysts, licensing and referral officers, researchers and administrators have no use for it.
SHARING_REPORT_ROLES = frozenset({"mash", "statistician", "auditor"})
#: Roles that see a school's pupils' support notices (their own school only) and record the
#: support the school gives; never a crime, a suspect or another agency's record.
SCHOOL_ROLES = frozenset({"school_mh_lead"})
#: Roles that read the support accountability report: inside the MASH in full, outside it
#: (auditors, statisticians) under disclosure control.
SUPPORT_REPORT_ROLES = frozenset({"mash", "auditor", "statistician"})
