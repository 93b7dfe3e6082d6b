// What happened at a facility between two dates: the units operating it, the people
// posted there, and the incidents that occurred there, each overlapping the window.
MATCH (f:Facility {id: $id})
CALL (f) {
  MATCH (f)<-[r:OPERATED]-(u:Unit)
  RETURN 'OPERATED' AS kind, u.id AS other, r.valid_from AS start, r.valid_to AS end, r
  UNION ALL
  MATCH (f)<-[r:POSTED_AT]-(p:Person)
  RETURN CASE WHEN r.command THEN 'COMMAND_POST' ELSE 'POST' END AS kind, p.id AS other,
         r.valid_from AS start, r.valid_to AS end, r
  UNION ALL
  MATCH (f)<-[r:OCCURRED_AT]-(i:Incident)
  RETURN 'INCIDENT' AS kind, i.id AS other, i.start_date AS start,
         coalesce(i.end_date, i.start_date) AS end, r
}
WITH kind, other, start, end, r
WHERE r.retracted_at IS NULL
  AND (start IS NULL OR start <= $to) AND (end IS NULL OR end >= $from)
RETURN kind, other, start, end,
       r {.*, type: type(r), from: startNode(r).id, to: endNode(r).id} AS claim
