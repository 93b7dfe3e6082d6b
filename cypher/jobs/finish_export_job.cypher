// A running export ends (done or failed), in one conditional write: a job another
// instance already gave up on stays failed.
MATCH (j:ExportJob {id: $id})
WHERE j.status = 'running'
SET j += $props
RETURN j.id AS id
