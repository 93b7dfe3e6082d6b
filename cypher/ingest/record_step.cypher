// One step's before-images, in the transaction that writes the step. Only an undo
// reads them back (read_step): they may hold protected names.
CREATE (s:ImportStep {id: $id})
SET s.run = $run, s.chunk = $chunk, s.seq = $seq, s.kind = $kind, s.records = $records,
    s.payload = $payload, s.undone = false
RETURN s.id AS id
