// The standing claims of these persons that bear on the elements of liability: what
// they were told (NOTIFIED), how they exercised control (EXERCISED_CONTROL), what they
// did to prevent or punish (TOOK_MEASURES). The service judges their dates.
UNWIND $ids AS id
MATCH (p:Person {id: id})-[r:NOTIFIED|EXERCISED_CONTROL|TOOK_MEASURES]->(t:Entity)
WHERE r.retracted_at IS NULL
RETURN p.id AS person, r {.*, type: type(r), from: p.id, to: t.id} AS claim
