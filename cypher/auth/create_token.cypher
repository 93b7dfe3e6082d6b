// A new API token; only the SHA-256 of the secret is stored.
CREATE (t:ApiToken {id: $id, hash: $hash, role: $role, name: $name, created_at: $now})
RETURN t.id AS id
