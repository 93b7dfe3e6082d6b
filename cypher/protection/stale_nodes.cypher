// Nodes whose rendition predates the current protected names, a batch at a time.
MATCH (n:Entity)
WHERE n.m_gen < $gen
WITH n
LIMIT $limit
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, properties(n) AS props
