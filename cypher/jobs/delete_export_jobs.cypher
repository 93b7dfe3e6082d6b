// Forget exports that ended (never one still running).
UNWIND $ids AS id
MATCH (j:ExportJob {id: id})
WHERE j.status <> 'running'
DELETE j
RETURN count(*) AS deleted
