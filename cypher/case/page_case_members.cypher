// One page of a case file's entities (removed ones left out), by id (keyset); for a
// reader of public data only, non-public evidence is not there at all.
MATCH (c:Case {id: $case})-[r:INCLUDES]->(n)
WHERE r.retracted_at IS NULL
  AND (NOT $public_only OR NOT n:Evidence OR n.classification = 'public')
  AND ($label IS NULL OR $label IN labels(n))
  AND ($after IS NULL OR n.id > $after)
RETURN n.id AS id
ORDER BY id
LIMIT $limit
