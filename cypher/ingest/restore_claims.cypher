// Put claims back as an import found them ($rows: claim id -> {props, stamp}): every
// property replaced, so what the import added (evidence, a retraction) goes too; the
// caller made the rendition again. With a stamp, only a claim that still carries it: one
// written since is left alone. The claims of each start node are found in one pass over
// its relationships (see claim/get_claims).
UNWIND $ids AS id
MATCH (k:ClaimKey {id: id})
WITH k.from AS start, collect(k.id) AS wanted
MATCH (a:Entity {id: start})-[r]->()
WHERE r.id IN wanted
WITH r, $rows[r.id] AS row
WHERE row.stamp IS NULL OR r.updated_at = row.stamp
SET r = row.props
RETURN count(r) AS restored
