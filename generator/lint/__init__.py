"""`specfirst lint`: house rules over hand-written OpenAPI documents, every rule walked in one pass."""
