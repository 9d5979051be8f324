"""The shapes the APIs return: REST serialises them, GraphQL types derive from them."""
