// Exports that ended before a time: their files are due for deletion.
MATCH (j:ExportJob)
WHERE j.status <> 'running' AND j.finished_at < $before
RETURN j.id AS id
