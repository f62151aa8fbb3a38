"""Placeholder registration module, replaced by the check/explain/licenses/schema commands."""
