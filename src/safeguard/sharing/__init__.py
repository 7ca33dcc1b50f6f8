"""Information sharing, need-to-know access and the audit trail."""
