"""The options of `specfirst lint` (imported when the parser is built, so it imports nothing heavy)."""

from __future__ import annotations

import argparse

FORMATS = ("text", "json", "sarif", "github", "junit")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments and options."""
    parser.add_argument("spec", nargs="*", help="spec files (default: every spec/*.yaml)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="exit 1 when a finding is at least this severe (default: error, or fail_on in [tool.specfirst.lint])",
    )
    parser.add_argument("--allow-remote-refs", action="store_true", help="fetch http(s) $refs (as validate does)")
