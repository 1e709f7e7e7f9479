"""`specfirst init`: scaffold a spec-first project (spec, settings, Make targets, CI workflow, pre-commit hook)."""
