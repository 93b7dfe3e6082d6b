// The claims leaving each of the given nodes; the caller keeps those that end inside
// the export. Starts at the bound node, so each row is one index lookup.
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})-[r]->(b)
WHERE type(r) IN $types
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
