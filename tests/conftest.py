"""Shared fixtures for all test levels."""
