// One page of the claims each of several evidence items supports, by claim id. A
// claim with an end a public-only reader may not see is not there for them.
UNWIND $ids AS eid
MATCH (e:Evidence {id: eid})
CALL (e) {
  MATCH (e)-[s:SUPPORTS]->(a)-[r]->(b)
  WHERE r.id = s.claim
    AND ($include_retracted OR r.retracted_at IS NULL)
    AND ($after IS NULL OR r.id > $after)
    AND (NOT $public_only
         OR ((NOT a:Evidence OR a.classification = 'public')
             AND (NOT b:Evidence OR b.classification = 'public')))
  RETURN r, a, b
  ORDER BY r.id
  LIMIT $limit
}
WITH collect({node: eid, id: r.id, type: type(r), from: a.id, to: b.id,
              props: properties(r)}) AS found
OPTIONAL MATCH (g:MaskState {id: 'mask'})
UNWIND found AS c
RETURN c.node AS node, c.id AS id, c.type AS type, c.from AS from, c.to AS to,
       c.props AS props, coalesce(g.floor, 0) AS floor
