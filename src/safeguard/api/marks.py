"""Which routes serve a child's data, and under which access rule.

A route that returns or changes a child's data carries ``openapi_extra=child_data(rule)``; the
access-matrix test walks the route table, calls every marked route as every role and
relationship, and checks the outcome against the named rule and the audit log. A route without
the mark must be listed by that test as not serving a child's data, so none slips through.
"""

from __future__ import annotations

from typing import Any, Literal

CHILD_DATA = "x-child-data"

ChildDataRule = Literal[
    "need-to-know",  # one child's records: role, then relationship or break-glass
    "alert",  # one risk alert: the MASH it was raised to
    "mash-alerts",  # the alert list: MASH practitioners
    "network",  # offender networks: analysts, police practitioners
    "search",  # identified search: practitioners and MASH
    "inbox",  # shares received: practitioners and MASH of the receiving agency
    "identity-review",  # record pairs and match explanations: reviewers
    "referrals",  # immigration-enforcement referrals: referral officers
    "audit",  # who saw a child (the child's access log): auditors
    # one referral's progress: read by referral officers, Immigration Enforcement, the MASH and
    # police practitioners; moved on only by Immigration Enforcement
    "referral-outcome",
    "support-offers",  # support offers list: MASH (its area) and practitioners (their agency's)
    "support-offer",  # one support offer: its area's MASH and the agency that must make it
    "school-pupils",  # a school's pupils' support notices: that school's mental-health lead
    "school-pupil",  # support a school gives one pupil: the lead of the pupil's school
]


def child_data(rule: ChildDataRule) -> dict[str, Any]:
    """The mark for ``openapi_extra``; it also shows in the OpenAPI document."""
    return {CHILD_DATA: rule}
