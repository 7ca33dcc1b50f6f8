"""CSAE crime records and national statistics (issue #7)."""
