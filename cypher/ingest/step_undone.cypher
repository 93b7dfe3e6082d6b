// A step undone, in the transaction that undoes it; nothing when another undo did it
// first (the caller then rolls back).
MATCH (s:ImportStep {id: $id})
WHERE NOT s.undone
SET s.undone = true
RETURN s.id AS id
