// The names and aliases of protected persons, to screen free text for uncleared readers.
MATCH (p:Person)
WHERE p.protected = true
RETURN p.name AS name, coalesce(p.aliases, []) AS aliases, p.pseudonym AS pseudonym
