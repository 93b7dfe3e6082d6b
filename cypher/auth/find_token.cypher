// The holder and role of an active token, by the hash of the secret presented.
MATCH (t:ApiToken {hash: $hash})
WHERE t.revoked_at IS NULL
RETURN t.id AS id, t.role AS role, t.name AS name
