// One page of claims for each of several nodes, by claim id (keyset).
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
CALL (n) {
  MATCH (n)-[r]-(m)
  WHERE type(r) IN $types
    AND ($direction = 'BOTH' OR ($direction = 'OUT') = (startNode(r) = n))
    AND ($include_retracted OR r.retracted_at IS NULL)
    AND ($after IS NULL OR r.id > $after)
  RETURN r, m
  ORDER BY r.id
  LIMIT $limit
}
RETURN nid AS node, r.id AS id, type(r) AS type, startNode(r).id AS from,
       endNode(r).id AS to, properties(r) AS props
