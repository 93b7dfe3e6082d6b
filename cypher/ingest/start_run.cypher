// Open a run of the import journal (an import, or the undo of one) before anything of
// it is written, so that a process killed at any moment leaves the run behind.
CREATE (r:ImportRun {id: $id})
SET r += $props
RETURN r.id AS id
