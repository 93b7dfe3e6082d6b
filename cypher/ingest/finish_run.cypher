// Close a run (complete, rejected, or interrupted while its process could still say so).
MATCH (r:ImportRun {id: $id})
SET r.status = $status, r.finished_at = $now, r.problems = $problems
RETURN r.id AS id
