"""Contract testing: property-test a running API against its OpenAPI spec with Schemathesis and our own checks."""
