// Revoke a token; it is kept, marked with when. The token generation moves on in the
// same write, so every instance sharing the database drops its cached verifications.
MATCH (t:ApiToken {id: $id})
WHERE t.revoked_at IS NULL
SET t.revoked_at = $now
WITH t
MERGE (s:TokenState {id: 'tokens'})
ON CREATE SET s.gen = 0
SET s.gen = s.gen + 1
RETURN t.id AS id
