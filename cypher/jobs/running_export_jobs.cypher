// Exports still marked running, with the process running each and its last heartbeat.
MATCH (j:ExportJob {status: 'running'})
RETURN j.id AS id, j.host AS host, j.pid AS pid, j.token AS token,
       j.heartbeat_at AS heartbeat_at
