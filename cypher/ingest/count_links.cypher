// For nodes an undo would remove: their relationships and the custody events naming
// them, counted, so that anything written against them later is seen.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, COUNT { (n)--() } AS links, COUNT { (c:CustodyEvent {evidence: id}) } AS custody
