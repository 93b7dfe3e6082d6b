// Which of these exports the database still knows (a file without one is an orphan).
UNWIND $ids AS id
MATCH (j:ExportJob {id: id})
RETURN j.id AS id, j.status AS status
