// The steps of these runs, without their before-images.
UNWIND $runs AS run
MATCH (s:ImportStep {run: run})
RETURN s.id AS id, s.run AS run, s.chunk AS chunk, s.seq AS seq, s.kind AS kind,
       s.records AS records, s.undone AS undone
