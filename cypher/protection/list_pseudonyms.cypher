// The pseudonym of every protected person (and nothing else of them).
MATCH (p:Person)
WHERE p.protected = true AND p.pseudonym IS NOT NULL
RETURN p.pseudonym AS pseudonym
