// The standing INCLUDES claims of a case to these entities, read in the transaction that
// changes them, after the case is locked. Starts at each entity, not at the case, whose
// INCLUDES are many.
UNWIND $ids AS id
MATCH (n:Entity {id: id})<-[r:INCLUDES]-(c:Case {id: $case})
WHERE r.retracted_at IS NULL
RETURN n.id AS id, r.id AS claim
