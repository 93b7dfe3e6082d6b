// The entities a case file includes (removed ones left out), in id order.
MATCH (c:Case {id: $case})-[r:INCLUDES]->(n)
WHERE r.retracted_at IS NULL
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, r.id AS claim
ORDER BY id
