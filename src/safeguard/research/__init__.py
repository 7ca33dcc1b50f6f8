"""Research: governed projects, de-identified extracts and checked outputs (docs/research.md)."""
