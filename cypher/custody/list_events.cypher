// The chain of custody of evidence items, oldest first.
UNWIND $ids AS id
MATCH (c:CustodyEvent {evidence: id})
RETURN c {.*} AS event
ORDER BY c.at, c.id
