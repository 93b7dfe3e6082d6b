// How many tokens can still be used.
MATCH (t:ApiToken)
WHERE t.revoked_at IS NULL
RETURN count(t) AS active
