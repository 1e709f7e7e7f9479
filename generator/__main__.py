"""Allow `python -m specfirst` as an alias of the `specfirst` command."""

from .cli import run

run()
