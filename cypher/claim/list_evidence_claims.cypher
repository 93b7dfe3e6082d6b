// One page of the claims each of several evidence items supports, by claim id. A
// claim with an end a public-only reader may not see is not there for them. The claims
// an item supports are grouped by start node, whose relationships are each read once:
// a report may support thousands of claims of one unit (see claim/get_claims).
UNWIND $ids AS eid
MATCH (e:Evidence {id: eid})
CALL (e) {
  MATCH (e)-[s:SUPPORTS]->(a)
  WHERE $after IS NULL OR s.claim > $after
  WITH a, collect(s.claim) AS wanted
  MATCH (a)-[r]->(b)
  WHERE r.id IN wanted
    AND ($include_retracted OR r.retracted_at IS NULL)
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
