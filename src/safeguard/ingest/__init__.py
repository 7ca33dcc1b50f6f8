"""Ingest: agency submissions validated whole, stored as versions, never half-written."""
