// The interrupted runs that a complete run of the same file finished.
UNWIND $ids AS id
MATCH (r:ImportRun {id: id})
WHERE r.status = 'interrupted'
SET r.status = 'resumed', r.resumed_by = $by
RETURN count(r) AS resumed
