"""Loading the curated seed data: read, validate, resolve, write."""
