"""Searching people and reading a person's source records and events, under need to know."""
