// The import runs an undo has undone.
UNWIND $ids AS id
MATCH (r:ImportRun {id: id})
SET r.status = 'undone', r.undone_by = $by
RETURN count(r) AS undone
