"""Progress lines for long runs: shown on a terminal, silent when piped or in CI."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    """Reports stages per document on stderr, with elapsed time, only when a person is watching."""

    def __init__(self, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty() and not os.environ.get("CI")
        self.enabled = enabled
        self._start = time.perf_counter()

    def stage(self, document: str, stage: str) -> None:
        """Announce that `stage` of `document` begins."""
        if self.enabled:
            elapsed = time.perf_counter() - self._start
            sys.stderr.write(f"\r\x1b[K[{elapsed:6.1f}s] {document}: {stage}…")
            sys.stderr.flush()

    def done(self) -> None:
        """End the progress line."""
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
