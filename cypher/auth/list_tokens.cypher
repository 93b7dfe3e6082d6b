// Every token, active or revoked, without its hash.
MATCH (t:ApiToken)
RETURN t.id AS id, t.role AS role, t.name AS name, t.created_at AS created_at,
       t.revoked_at AS revoked_at
ORDER BY created_at, id
