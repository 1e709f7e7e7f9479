"""Optional dependencies: a command whose extra is not installed says which one to install (exit 2)."""

from __future__ import annotations

import importlib.util

from .errors import UsageError


class MissingExtra(UsageError):
    """A command needs an optional dependency (an extra of the specfirst package) that is not installed."""


def require_extra(module: str, extra: str, command: str) -> None:
    """Raise MissingExtra, one line naming the extra to install, when `module` cannot be imported."""
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise MissingExtra(
            f"specfirst {command}: needs the '{extra}' extra ({module} is not installed): "
            f"pip install 'specfirst[{extra}]'"
        )
