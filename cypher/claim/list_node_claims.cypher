// One page of claims for each of several nodes, by claim id (keyset). A claim with an
// end a public-only reader may not see (evidence that is not public) is not there for
// them, so pages and their ends agree.
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
CALL (n) {
  MATCH (n)-[r]-(m)
  WHERE type(r) IN $types
    AND ($direction = 'BOTH' OR ($direction = 'OUT') = (startNode(r) = n))
    AND ($include_retracted OR r.retracted_at IS NULL)
    AND ($after IS NULL OR r.id > $after)
    AND (NOT $public_only OR NOT m:Evidence OR m.classification = 'public')
  RETURN r, m
  ORDER BY r.id
  LIMIT $limit
}
WITH collect({node: nid, id: r.id, type: type(r), from: startNode(r).id, to: endNode(r).id,
              props: properties(r)}) AS found
OPTIONAL MATCH (g:MaskState {id: 'mask'})
UNWIND found AS c
RETURN c.node AS node, c.id AS id, c.type AS type, c.from AS from, c.to AS to,
       c.props AS props, coalesce(g.floor, 0) AS floor
