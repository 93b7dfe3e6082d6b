// How far a running export is, and that its instance is still at work (the heartbeat
// another instance reads to tell a running export from one whose process died).
MATCH (j:ExportJob {id: $id})
WHERE j.status = 'running'
SET j.done = $done, j.total = $total, j.heartbeat_at = $now
RETURN j.id AS id
