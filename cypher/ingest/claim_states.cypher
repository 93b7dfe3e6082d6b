// What an undo needs to know of claims as they stand: their ends, when each was last
// written, and the evidence it cites (whose index edges go with it). The claims of each
// start node are found in one pass over its relationships (see claim/get_claims).
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
WITH k.from AS start, collect(DISTINCT k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->(b)
WHERE r.id IN wanted
RETURN r.id AS id, a.id AS from, b.id AS to, r.updated_at AS stamp, r.evidence AS evidence
