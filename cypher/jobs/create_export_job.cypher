// Record an export started through the API before any of its file is written, so that
// every instance sharing this database can report it and serve its file.
CREATE (j:ExportJob {id: $id})
SET j += $props
RETURN j.id AS id
