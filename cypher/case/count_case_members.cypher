// How many entities a case file includes, by label (removed ones left out).
MATCH (c:Case {id: $case})-[r:INCLUDES]->(n)
WHERE r.retracted_at IS NULL
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, count(n) AS count
