// Claims with text whose rendition predates the current protected names, a batch at a
// time: found through their indexed keys, then the claims of each start node in one
// pass over its relationships. A hub (a case of thousands of members) is read once for
// the batch, not once for each of its claims. Only claims carry an `id` on a
// relationship, and claim ids are unique.
MATCH (k:ClaimKey)
WHERE k.m_gen < $gen
WITH k
LIMIT $limit
WITH k.from AS start, collect(k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->(b)
WHERE r.id IN wanted
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
