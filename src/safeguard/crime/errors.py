"""Errors of the national statistics that the API, the pages and the CLI turn into sentences."""


class NoDataError(LookupError):
    """The year has no CSAE crimes: there is no return to publish (not a 0 % return)."""
