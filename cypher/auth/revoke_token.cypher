// Revoke a token; it is kept, marked with when.
MATCH (t:ApiToken {id: $id})
WHERE t.revoked_at IS NULL
SET t.revoked_at = $now
RETURN t.id AS id
