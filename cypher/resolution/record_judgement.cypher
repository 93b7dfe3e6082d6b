// A judgement of a candidate pair (same, different, unsure): the latest stands; the
// audit log keeps every one. Nothing is written unless both ids are persons.
MATCH (a:Entity {id: $a})
WHERE a:Person
MATCH (b:Entity {id: $b})
WHERE b:Person
MERGE (j:DuplicateJudgement {id: $id})
SET j.a = a.id, j.b = b.id, j.verdict = $verdict, j.by = $by, j.at = $at, j.note = $note
RETURN j.id AS id
