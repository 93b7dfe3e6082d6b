// Remove the SUPPORTS edges of evidence a claim no longer cites, from the claim's
// start node (whose edges are fewer than a much-cited item's).
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})<-[s:SUPPORTS]-(e:Evidence {id: row.evidence})
WHERE s.claim = row.claim
DELETE s
RETURN count(*) AS unlinked
