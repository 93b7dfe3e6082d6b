// One page of a case file's entities (removed ones left out), by id (keyset).
MATCH (c:Case {id: $case})-[r:INCLUDES]->(n)
WHERE r.retracted_at IS NULL
  AND ($label IS NULL OR $label IN labels(n))
  AND ($after IS NULL OR n.id > $after)
RETURN n.id AS id
ORDER BY id
LIMIT $limit
