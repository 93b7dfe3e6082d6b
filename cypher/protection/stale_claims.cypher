// Claims with text whose rendition predates the current protected names, a batch at a
// time: found through their indexed keys, then one hop from the start node.
MATCH (k:ClaimKey)
WHERE k.m_gen < $gen
WITH k
LIMIT $limit
MATCH (a:Entity {id: k.from})-[r]->(b)
WHERE r.id = k.id AND type(r) = k.type
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
