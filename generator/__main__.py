"""Allow `python -m generator` as an alias of the `specfirst` command."""

from generator.cli import main

raise SystemExit(main())
