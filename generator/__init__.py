"""specfirst: OpenAPI YAML in, Pydantic v2 models, typed clients, docs and contract tests out."""

__version__ = "0.1.0"
