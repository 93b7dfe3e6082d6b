// Every claim, in id order, for the interchange export (SUPPORTS edges are derived).
MATCH (a)-[r]->(b)
WHERE type(r) IN $types
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
ORDER BY id
