// The claims that start at a node whose id is in [$lo, $hi), unordered (SUPPORTS edges
// are derived, and left out): every claim starts at exactly one node, so the node
// ranges of the whole-graph export give every claim once, each range read from the id
// index and expanded, never a scan of every relationship.
MATCH (a:Entity)
WHERE a.id >= $lo AND a.id < $hi
MATCH (a)-[r]->(b)
WHERE type(r) IN $types
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
