// Put nodes back as an import found them: every property replaced, so what the import
// added goes too; the caller made the rendition again.
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n = row.props
RETURN count(n) AS restored
