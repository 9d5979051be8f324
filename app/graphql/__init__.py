"""The GraphQL API at /graphql: types derived from the REST shapes, loaders over the query layer."""
