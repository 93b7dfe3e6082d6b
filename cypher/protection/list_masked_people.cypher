// Protected persons, with the names to mask and the pseudonym to mask them with.
MATCH (p:Person)
WHERE p.protected = true
RETURN p.id AS id, p.name AS name, coalesce(p.aliases, []) AS aliases, p.pseudonym AS pseudonym
