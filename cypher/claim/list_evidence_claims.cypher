// One page of the claims each of several evidence items supports, by claim id.
UNWIND $ids AS eid
MATCH (e:Evidence {id: eid})
CALL (e) {
  MATCH (e)-[s:SUPPORTS]->(a)-[r]->(b)
  WHERE r.id = s.claim
    AND ($include_retracted OR r.retracted_at IS NULL)
    AND ($after IS NULL OR r.id > $after)
  RETURN r, a, b
  ORDER BY r.id
  LIMIT $limit
}
RETURN eid AS node, r.id AS id, type(r) AS type, a.id AS from, b.id AS to,
       properties(r) AS props
