"""GraphQL types mirroring the domain models; fields are listed explicitly."""
