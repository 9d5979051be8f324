"""The reads that REST, GraphQL, ICS and CSV share: each filter and each join written once."""
