// Put claims back as an import found them: every property replaced, so what the
// import added (evidence, a retraction) goes too; the caller made the rendition again.
// With a stamp, only a claim that still carries it: one written since is left alone.
UNWIND $rows AS row
MATCH (k:ClaimKey {id: row.id})
MATCH (a:Entity {id: k.from})-[r]->()
WHERE r.id = row.id AND type(r) = k.type AND (row.stamp IS NULL OR r.updated_at = row.stamp)
SET r = row.props
RETURN count(r) AS restored
