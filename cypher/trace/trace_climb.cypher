// Two levels of the climb: the reporting lines out of these units (each with its
// incident's period) in force during the incident, or all of them with $all (for
// explain, retracted ones included), and with each line the lines out of the unit it
// reaches, under the same filter. With each unit reached, who commanded it during the
// incident (at any time with $all; $person keeps one). The caller climbs level by
// level and visits each unit once, so parallel lines and cycles cost no more than the
// lines themselves; the second level saves it every other round trip (a line's `above`
// is what this statement would return for its unit next).
// Inside a map literal a claim is given as properties(c), never as a map projection
// (`{claim: c {.*}}`): the embedded engine answers such a map with the projection
// alone. The caller adds the claim's type and ends.
UNWIND $frontier AS f
MATCH (u:Entity {id: f.unit})-[s:SUBORDINATE_TO]->(up:Unit)
WHERE (s.retracted_at IS NULL OR $all)
  AND ($all OR f.start IS NULL OR ((s.valid_from IS NULL OR s.valid_from <= f.end)
                            AND (s.valid_to IS NULL OR s.valid_to >= f.start)))
RETURN f.incident AS incident,
       s {.*, type: type(s), from: u.id, to: up.id} AS claim,
       COLLECT {
         MATCH (up)<-[c:COMMANDED]-(p:Person)
         WHERE (c.retracted_at IS NULL OR $all) AND ($person IS NULL OR p.id = $person)
           AND ($all OR f.start IS NULL OR ((c.valid_from IS NULL OR c.valid_from <= f.end)
                                     AND (c.valid_to IS NULL OR c.valid_to >= f.start)))
         RETURN {person: p.id, claim: properties(c)}
       } AS commanders,
       COLLECT {
         MATCH (up)-[a:SUBORDINATE_TO]->(over:Unit)
         WHERE (a.retracted_at IS NULL OR $all)
           AND ($all OR f.start IS NULL OR ((a.valid_from IS NULL OR a.valid_from <= f.end)
                                     AND (a.valid_to IS NULL OR a.valid_to >= f.start)))
         RETURN {claim: properties(a), to: over.id,
                 commanders: COLLECT {
                   MATCH (over)<-[c:COMMANDED]-(p:Person)
                   WHERE (c.retracted_at IS NULL OR $all)
                     AND ($person IS NULL OR p.id = $person)
                     AND ($all OR f.start IS NULL
                          OR ((c.valid_from IS NULL OR c.valid_from <= f.end)
                              AND (c.valid_to IS NULL OR c.valid_to >= f.start)))
                   RETURN {person: p.id, claim: properties(c)}
                 }}
       } AS above
