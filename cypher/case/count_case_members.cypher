// How many entities a case file includes, by label (removed ones left out; for a
// reader of public data only, non-public evidence is not counted).
MATCH (c:Case {id: $case})-[r:INCLUDES]->(n)
WHERE r.retracted_at IS NULL
  AND (NOT $public_only OR NOT n:Evidence OR n.classification = 'public')
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, count(n) AS count
