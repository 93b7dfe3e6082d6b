// Who commanded these units (each with its incident's period) during the incident, or
// at any time with $all (for explain, retracted claims included); $person keeps one.
UNWIND $units AS f
MATCH (u:Entity {id: f.unit})<-[c:COMMANDED]-(p:Person)
WHERE (c.retracted_at IS NULL OR $all) AND ($person IS NULL OR p.id = $person)
  AND ($all OR f.start IS NULL OR ((c.valid_from IS NULL OR c.valid_from <= f.end)
                            AND (c.valid_to IS NULL OR c.valid_to >= f.start)))
RETURN f.incident AS incident, p.id AS person,
       c {.*, type: type(c), from: p.id, to: u.id} AS claim
