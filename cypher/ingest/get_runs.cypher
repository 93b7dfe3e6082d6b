// Runs of the import journal by id.
UNWIND $ids AS id
MATCH (r:ImportRun {id: id})
RETURN r {.*} AS run
