// A person's detention records and the incidents they suffered (retracted excluded).
MATCH (p:Person {id: $id})
CALL (p) {
  MATCH (p)-[r:DETAINED_AT]->(f:Facility)
  WHERE r.retracted_at IS NULL
  RETURN 'DETENTION' AS kind, f.id AS other, r.valid_from AS start, r.valid_to AS end, r
  UNION ALL
  MATCH (p)<-[r:VICTIM]-(i:Incident)
  WHERE r.retracted_at IS NULL
  RETURN 'INCIDENT' AS kind, i.id AS other, i.start_date AS start,
         coalesce(i.end_date, i.start_date) AS end, r
}
RETURN kind, other, start, end,
       r {.*, type: type(r), from: startNode(r).id, to: endNode(r).id} AS claim
