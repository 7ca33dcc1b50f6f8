"""safeguard: multi-agency child-exploitation safeguarding data platform (synthetic data only)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
