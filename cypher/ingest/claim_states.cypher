// What an undo needs to know of claims as they stand: their ends, when each was last
// written, and the evidence it cites (whose index edges go with it).
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
MATCH (a:Entity {id: k.from})-[r]->(b)
WHERE r.id = id AND type(r) = k.type
RETURN id, a.id AS from, b.id AS to, r.updated_at AS stamp, r.evidence AS evidence
