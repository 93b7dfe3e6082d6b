// Claims by id, whatever their type: an index seek on the key, then one hop.
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
MATCH (a:Entity {id: k.from})-[r]->(b)
WHERE r.id = id AND type(r) = k.type
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
