// Every claim of a node, out of it and into it, retracted ones too, with its ends and
// when it was last written: what a merge moves. Index edges (SUPPORTS) are not claims.
MATCH (n:Entity {id: $id})-[r]->(b:Entity)
WHERE type(r) <> 'SUPPORTS'
RETURN r.id AS id, type(r) AS type, n.id AS from, b.id AS to, r.updated_at AS stamp
UNION ALL
MATCH (n:Entity {id: $id})<-[r]-(a:Entity)
WHERE type(r) <> 'SUPPORTS'
RETURN r.id AS id, type(r) AS type, a.id AS from, n.id AS to, r.updated_at AS stamp
