// Runs that say they are running, with the process that runs them.
MATCH (r:ImportRun {status: 'running'})
RETURN r {.*} AS run
