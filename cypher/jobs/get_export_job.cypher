// One export job, as any instance reports it.
MATCH (j:ExportJob {id: $id})
RETURN j {.*} AS job
