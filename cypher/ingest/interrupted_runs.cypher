// Interrupted runs of one kind, file and target, oldest first: those a new run of the
// same file (or undo of the same import) resumes.
MATCH (r:ImportRun {status: 'interrupted'})
WHERE r.kind = $kind AND r.sha256 = $sha256 AND coalesce(r.target, '') = $target
RETURN r {.*} AS run
ORDER BY r.started_at
