"""User accounts: agency, roles and hashed bearer tokens."""
