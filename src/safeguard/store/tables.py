"""The operational store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Alembic migrations in ``migrations/`` create these; ``metadata`` is the single source the
migrations were generated from and are checked against in tests.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("la_code", String(12)),
    Column("force_code", String(12)),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency_code", String(40), ForeignKey("agencies.code"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("filename", String(300), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("submitted_by", String(100), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("new_records", Integer, nullable=False),
    Column("new_versions", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    UniqueConstraint("agency_code", "content_hash", name="uq_submissions_agency_hash"),
)

persons = Table(
    "persons",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("child_ref", String(16), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

source_records = Table(
    "source_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency_code", String(40), ForeignKey("agencies.code"), nullable=False),
    Column("local_id", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("is_current", Boolean, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("person_id", String(32), ForeignKey("persons.id"), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("middle_name", String(100)),
    Column("surname", String(100), nullable=False),
    Column("dob", Date, nullable=False),
    Column("sex", String(1), nullable=False),
    Column("postcode", String(10)),
    Column("address", String(300)),
    Column("nhs_number", String(10)),
    Column("ethnicity", String(4), nullable=False),
    Column("ethnicity_observed", String(4)),
    Column("nationality", String(100), nullable=False),
    Column("immigration_status", String(30)),
    # (agency, local id) lookups of the current version use this unique index's prefix.
    UniqueConstraint("agency_code", "local_id", "version", name="uq_source_records_version"),
    Index("ix_source_records_person", "person_id"),
    Index("ix_source_records_nhs", "nhs_number"),
    Index("ix_source_records_name_dob", "surname", "dob"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency_code", String(40), ForeignKey("agencies.code"), nullable=False),
    Column("local_id", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("is_current", Boolean, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("postcode", String(10)),
    Column("place_type", String(20)),
    Column("offence_code", String(6)),
    Column("details", Text, nullable=False),
    # When the agency recorded it (the feed's optional recorded_at; null when not given).
    Column("recorded_at", DateTime(timezone=True)),
    UniqueConstraint("agency_code", "local_id", "version", name="uq_events_version"),
    Index("ix_events_occurred", "occurred_at"),
)

event_participants = Table(
    "event_participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("role", String(20), nullable=False),
    Column("record_local_id", String(100), nullable=False),
    Column("person_id", String(32), ForeignKey("persons.id"), nullable=False),
    Index("ix_event_participants_event", "event_id"),
    Index("ix_event_participants_record", "record_local_id", "event_id"),
)

event_objects = Table(
    "event_objects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("object_type", String(20), nullable=False),
    Column("value", String(200), nullable=False),
    Index("ix_event_objects_event", "event_id"),
    Index("ix_event_objects_value", "object_type", "value"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("agency_code", String(40), ForeignKey("agencies.code"), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

#: Page sessions (migration 0019): the cookie carries a random id, only its SHA-256 is kept here,
#: so a leaked table opens nothing and signing out (deleting the row) ends the session at once.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_web_sessions_user", "user_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(100), nullable=False),
    Column("role", String(40), nullable=False),
    Column("agency_code", String(40), nullable=False),
    Column("reason", String(300), nullable=False),
    Column("action", String(60), nullable=False),
    Column("subject", String(100), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

# --- identity: trained models, reference history, reviewer decisions, review queue -------------

identity_models = Table(
    "identity_models",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("model_json", Text, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)

identity_serial = Table(
    "identity_serial",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last", Integer, nullable=False),
)

identity_aliases = Table(
    "identity_aliases",
    metadata,
    Column("old_ref", String(16), primary_key=True),
    Column("new_ref", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

identity_ref_events = Table(
    "identity_ref_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(10), nullable=False),
    Column("ref", String(16), nullable=False),
    Column("into_ref", String(16)),
    Column("new_refs", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_identity_ref_events_ref", "ref"),
)

identity_decisions = Table(
    "identity_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id_l", String(150), nullable=False),
    Column("record_id_r", String(150), nullable=False),
    Column("decision", String(10), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("reviewer", String(100), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)

identity_review_queue = Table(
    "identity_review_queue",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id_l", String(150), nullable=False),
    Column("record_id_r", String(150), nullable=False),
    Column("match_probability", Float, nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("record_id_l", "record_id_r", name="uq_identity_review_pair"),
)


# --- sharing (issue 5): shares, break-glass reviews, signed audit checkpoints -----------------

shares = Table(
    "shares",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("obligation_id", String(60), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("from_agency", String(40), ForeignKey("agencies.code"), nullable=False),
    Column("event_local_id", String(100), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("person_id", String(32), ForeignKey("persons.id")),
    Column("to_agency", String(40)),
    Column("status", String(20), nullable=False),
    Column("note", String(300), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("shared_at", DateTime(timezone=True)),
    # The event's recording time at the submitting agency: the duty's clock starts here.
    Column("recorded_at", DateTime(timezone=True)),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", String(100)),
    Index("ix_shares_inbox", "to_agency", "acknowledged_at"),
    Index("ix_shares_person", "person_id", "to_agency"),
    Index("ix_shares_event", "from_agency", "event_local_id", "obligation_id"),
    Index("ix_shares_occurred", "occurred_at"),
)

break_glass = Table(
    "break_glass",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(100), nullable=False),
    Column("role", String(40), nullable=False),
    Column("agency_code", String(40), nullable=False),
    Column("person_id", String(32), ForeignKey("persons.id"), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("reviewed_by", String(100)),
    Column("review_note", String(500)),
    Index("ix_break_glass_review", "reviewed_at"),
)

audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("entry_hash", String(64), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("signature", String(64), nullable=False),
    # the previous checkpoint's signature, which this one signs ("" for the first; NULL for
    # checkpoints signed before they were chained, migration 0019)
    Column("prev_signature", String(64)),
)

#: The chronology reads a child's events by person; this index answers it without the heap.
Index(
    "ix_event_participants_person_event",
    event_participants.c.person_id,
    event_participants.c.event_id,
)

# --- crime (issue #7): derived group-based flags and immigration-enforcement referrals ---

crime_group_flags = Table(
    "crime_group_flags",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id"), primary_key=True, autoincrement=False),
    Column("group_based", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("suspects", Integer, nullable=False),
    Column("window_days", Integer, nullable=False),
    Column("derived_at", DateTime(timezone=True), nullable=False),
)

referrals = Table(
    "referrals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("person_id", String(32), ForeignKey("persons.id"), nullable=False),
    Column("agency_code", String(40), ForeignKey("agencies.code"), nullable=False),
    Column("crime_local_id", String(100), nullable=False),
    Column("suspect_local_id", String(100), nullable=False),
    Column("rule", String(100), nullable=False),
    Column("offence_code", String(6), nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("immigration_status", String(30), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("event_id", "person_id", "rule", name="uq_referrals_event_person_rule"),
)

#: The immigration enforcement agency's decisions on a referral, in order (issue 22).
referral_updates = Table(
    "referral_updates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("referral_id", Integer, ForeignKey("referrals.id"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("agency_code", String(40), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_referral_updates_referral", "referral_id"),
)

# --- licensing (issue #9): the register, checks and their decisions, safeguarding notices ---

licensing_register = Table(
    "licensing_register",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("authority", String(12), nullable=False),
    Column("decision", String(12), nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("reason", String(30), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("middle_name", String(100)),
    Column("surname", String(100), nullable=False),
    Column("other_names", String(300), nullable=False),
    Column("dob", Date, nullable=False),
    Column("sex", String(1)),
    Column("postcode", String(10)),
    Column("address", String(300)),
    Column("driving_licence", String(16)),
    Column("licence_type", String(10)),
    Column("added_on", Date, nullable=False),
    Column("added_by", String(100), nullable=False),
    Column("source_event_id", Integer, ForeignKey("events.id"), unique=True),
    Index("ix_licensing_register_licence", "driving_licence"),
    Index("ix_licensing_register_dob", "dob"),
)

licensing_checks = Table(
    "licensing_checks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("authority", String(12), nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
    Column("checked_by", String(100), nullable=False),
    Column("driving_licence", String(16)),
    Column("applicant", Text, nullable=False),
    Column("candidates", Text, nullable=False),
    Column("matches", Integer, nullable=False),
    Column("decision", String(20)),
    Column("decision_note", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", String(100)),
    Index("ix_licensing_checks_authority", "authority"),
)

licensing_notices = Table(
    "licensing_notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency_code", String(40), ForeignKey("agencies.code"), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("subject", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # JSON: for a sweep notice, the register entry (authority, decision, date, reason) and
    # the match evidence; empty for a safeguarding-event notice (migration 0016)
    Column("evidence", Text),
    UniqueConstraint("event_id", "agency_code", "subject", name="uq_licensing_notices_event"),
)

# --- risk (issue #6): alerts to the MASH and their lifecycle ---

risk_alerts = Table(
    "risk_alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(32), ForeignKey("persons.id"), nullable=False),
    Column("mash_code", String(40), ForeignKey("agencies.code"), nullable=False),
    Column("la_code", String(12), nullable=False),
    Column("status", String(20), nullable=False),
    Column("score", Integer, nullable=False),
    Column("rules", String(200), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("evidence_key", String(64), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    Column("deadline_at", DateTime(timezone=True), nullable=False),
    Column("assigned_to", String(100)),
    Column("assigned_at", DateTime(timezone=True)),
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", String(100)),
    Column("outcome", String(40)),
    Column("reason", Text),
    Column("escalated_at", DateTime(timezone=True)),
    Column("reopened", Integer, nullable=False),
    Index("ix_risk_alerts_person_id", "person_id"),
    Index("ix_risk_alerts_mash_code_status", "mash_code", "status"),
)

risk_alert_history = Table(
    "risk_alert_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("risk_alerts.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(20), nullable=False),
    Column("by", String(100), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_risk_alert_history_alert_id", "alert_id"),
)

risk_managers = Table(
    "risk_managers",
    metadata,
    Column("mash_code", String(40), ForeignKey("agencies.code"), primary_key=True),
    Column("user_name", String(100), nullable=False),
    Column("email", String(254)),
    Column("named_at", DateTime(timezone=True), nullable=False),
)

risk_notifications = Table(
    "risk_notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_name", String(100), nullable=False),
    Column("alert_id", Integer, ForeignKey("risk_alerts.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("email", String(40), nullable=False),
    Column("read_at", DateTime(timezone=True)),
    Index("ix_risk_notifications_user_name", "user_name"),
)

research_projects = Table(
    "research_projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("approving_body", String(200), nullable=False),
    Column("approval_reference", String(100), nullable=False),
    Column("lawful_basis", String(300), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("unit", String(10), nullable=False),
    Column("variables", Text, nullable=False),
    Column("researchers", Text, nullable=False),
    Column("k", Integer, nullable=False),
    Column("l_diversity", Integer, nullable=False),
    Column("secret", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("requested_by", String(100), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime(timezone=True)),
)

research_outputs = Table(
    "research_outputs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("research_projects.id"), nullable=False),
    Column("filename", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", Text, nullable=False),
    Column("findings", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("submitted_by", String(100), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime(timezone=True)),
    Column("reason", Text),
    Index("ix_research_outputs_project_id", "project_id"),
)

# --- support for child victims (issue 17): offers due, what became of them, schools ---

support_offers = Table(
    "support_offers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(32), ForeignKey("persons.id"), nullable=False),
    Column("la_code", String(12), nullable=False),
    Column("service", String(40), nullable=False),
    Column("situation", String(40), nullable=False),
    Column("trigger", String(200), nullable=False),
    Column("responsible_agency", String(40), nullable=False),
    Column("identified_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("first_contact_at", DateTime(timezone=True)),
    Column("accepted_at", DateTime(timezone=True)),
    Column("last_action_at", DateTime(timezone=True)),
    Column("decline_reason", Text),
    Column("escalated_at", DateTime(timezone=True)),
    Column("escalated_to", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("person_id", "service", "trigger", name="uq_support_offers_trigger"),
    Index("ix_support_offers_la_code", "la_code"),
    Index("ix_support_offers_status_due", "status", "due_at"),
)

support_events = Table(
    "support_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("offer_id", Integer, ForeignKey("support_offers.id")),
    Column("person_id", String(32), ForeignKey("persons.id"), nullable=False),
    Column("service", String(40), nullable=False),
    Column("action", String(20), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("agency_code", String(40), nullable=False),
    Column("recorded_by", String(100), nullable=False),
    Column("source", String(20), nullable=False),
    Column("event_id", Integer),
    Column("reason", Text),
    Index("ix_support_events_person_id", "person_id"),
    Index("ix_support_events_offer_id", "offer_id"),
)

support_pupils = Table(
    "support_pupils",
    metadata,
    Column("person_id", String(32), ForeignKey("persons.id"), primary_key=True),
    Column("school_urn", String(12), nullable=False),
    Column("agency_code", String(40), nullable=False),
    Column("record_local_id", String(100), nullable=False),
    Column("since", DateTime(timezone=True), nullable=False),
    Index("ix_support_pupils_school_urn", "school_urn"),
)

support_school_leads = Table(
    "support_school_leads",
    metadata,
    Column("user_name", String(100), primary_key=True),
    Column("school_urn", String(12), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
)
