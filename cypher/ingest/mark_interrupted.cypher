// Runs whose process is gone are interrupted. Only runs still marked running change,
// so of two processes starting at once each run is reported by one.
UNWIND $ids AS id
MATCH (r:ImportRun {id: id})
WHERE r.status = 'running'
SET r.status = 'interrupted', r.finished_at = $now
RETURN r {.*} AS run
