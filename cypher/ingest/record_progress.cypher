// What one transaction of a run did, inside that transaction: records written and
// skipped, and the digest of each part committed. One statement, never read and
// written back.
MATCH (r:ImportRun {id: $id})
SET r.written = r.written + $written, r.skipped = r.skipped + $skipped,
    r.chunks_done = r.chunks_done + $digests
RETURN r.written AS written
