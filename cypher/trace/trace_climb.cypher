// Two levels of the climb: the reporting lines out of these units (each with its
// incident's period) in force during the incident, or all of them with $all (for
// explain, retracted ones included), and with each line the lines out of the unit it
// reaches, under the same filter. The caller climbs level by level and visits each
// unit once, so parallel lines and cycles cost no more than the lines themselves; the
// second level saves it every other round trip (a line's `above` is what this
// statement would return for its unit next).
UNWIND $frontier AS f
MATCH (u:Entity {id: f.unit})-[s:SUBORDINATE_TO]->(up:Unit)
WHERE (s.retracted_at IS NULL OR $all)
  AND ($all OR f.start IS NULL OR ((s.valid_from IS NULL OR s.valid_from <= f.end)
                            AND (s.valid_to IS NULL OR s.valid_to >= f.start)))
RETURN f.incident AS incident,
       s {.*, type: type(s), from: u.id, to: up.id} AS claim,
       COLLECT {
         MATCH (up)-[a:SUBORDINATE_TO]->(over:Unit)
         WHERE (a.retracted_at IS NULL OR $all)
           AND ($all OR f.start IS NULL OR ((a.valid_from IS NULL OR a.valid_from <= f.end)
                                     AND (a.valid_to IS NULL OR a.valid_to >= f.start)))
         RETURN a {.*, type: type(a), from: up.id, to: over.id}
       } AS above
