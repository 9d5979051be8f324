"""The JSON REST API under /api/v1: thin routers over the shared query layer."""
