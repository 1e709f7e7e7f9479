"""`specfirst mock`: a stateful mock server of any OpenAPI 3.0/3.1 document (routing, validation, negotiation,
generation and state as separate modules, as Prism keeps them)."""
