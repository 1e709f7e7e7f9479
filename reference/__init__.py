"""Reference implementation of the APIs in spec/: a FastAPI server on SQLite, built on the generated models."""
