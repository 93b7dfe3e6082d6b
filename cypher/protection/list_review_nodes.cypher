// Nodes with uncertain mentions of protected persons waiting for a reviewer.
MATCH (n:Entity)
WHERE n.review_open = true
WITH n
ORDER BY n.id
LIMIT $limit
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, n.review AS review
