"""Deliberately broken variants of the reference server, one realistic fault per module (`python -m ...`)."""
