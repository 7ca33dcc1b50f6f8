"""The pages a user's roles can use, for the navigation and the home page.

Each entry's rule is the one its page applies, so the navigation never offers a page that would
answer 403 (`tests/integration/test_pages_navigation.py` visits every link as every role).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from safeguard.accounts.roles import (
    CHILD_DATA_ROLES,
    REFERRAL_ROLES,
    RISK_REPORT_ROLES,
    SCHOOL_ROLES,
    SHARING_REPORT_ROLES,
    STATS_ROLES,
    SUBMIT_ROLES,
    SUPPORT_REPORT_ROLES,
)
from safeguard.domain.actors import User


@dataclass(frozen=True)
class Page:
    """One page in the navigation: its label, where it is, who may use it and what it is for."""

    label: str
    href: str
    allowed: Callable[[User], bool]
    purpose: str


def _police_practitioner(user: User) -> bool:
    return user.has("practitioner") and user.agency.startswith("POLICE-")


PAGES: tuple[Page, ...] = (
    Page("Search", "/search", lambda u: u.has(*CHILD_DATA_ROLES),
         "Find a child or adult among the records your agency or hub may see."),
    Page("Inbox", "/sharing/inbox", lambda u: u.has(*CHILD_DATA_ROLES),
         "Information partners must share with your agency; acknowledge each in time."),
    Page("Risk alerts", "/risk/alerts", lambda u: u.has("mash"),
         "Alerts for your hub's children: each needs a recorded decision by its deadline."),
    Page("Support offers", "/support/offers", lambda u: u.has("mash", "practitioner"),
         "Support each child victim is owed: record offers, uptake and refusals by the deadline."),
    Page("Pupils' support", "/support/school", lambda u: u.has(*SCHOOL_ROLES),
         "Your pupils who need support, and the support your school gives."),
    Page("Identity review", "/identity/review", lambda u: u.has("mash"),
         "Record pairs that may be the same child, waiting for a person to decide."),
    Page("Networks", "/network", lambda u: u.has("analyst") or _police_practitioner(u),
         "Candidate offending groups, harm ranking and link charts."),
    Page("Statistics", "/stats", lambda u: u.has(*STATS_ROLES),
         "The national return under disclosure control."),
    Page("Referrals", "/referrals", lambda u: u.has(*REFERRAL_ROLES),
         "Immigration-enforcement referrals the rule requires."),
    Page("Licensing", "/licensing",
         lambda u: u.has("licensing_officer") and u.agency.startswith("LIC-"),
         "Check an applicant against the national register; notices and out-of-area working."),
    Page("Output checking", "/research/outputs", lambda u: u.has("output_checker"),
         "Researchers' tables waiting to be checked before release."),
    Page("Submit a file", "/submissions/new", lambda u: u.has(*SUBMIT_ROLES),
         "Send person records or events as CSV or JSON Lines."),
    Page("Sharing compliance", "/sharing/report", lambda u: u.has(*SHARING_REPORT_ROLES),
         "Shares due per agency and duty: on time, late, never made."),
    Page("Alert report", "/risk/report", lambda u: u.has(*RISK_REPORT_ROLES),
         "Per local authority: alerts raised, decided on time, late, never decided."),
    Page("Who saw a child", "/audit/children", lambda u: u.has("auditor"),
         "Every read, change and refusal about one child, with who, when and why."),
    Page("Support report", "/support/report", lambda u: u.has(*SUPPORT_REPORT_ROLES),
         "Per local authority: support offers due to child victims, on time, late, never made."),
    Page("API", "/docs", lambda u: True, "The same services as JSON, with bearer tokens."),
)  # fmt: skip


def pages_for(user: User | None) -> list[Page]:
    """The pages this user may open, in navigation order (none before sign-in)."""
    if user is None:
        return []
    return [page for page in PAGES if page.allowed(user)]
