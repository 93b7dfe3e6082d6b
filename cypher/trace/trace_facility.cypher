// Links through the facility where the incident occurred: posts there (command posts
// make superiors, others are leads), aid to the facility, and aid to the unit that
// operated it. Standing claims must be in force during the incident; with $all they
// need not be, and retracted ones are kept (for explain). $person keeps one person.
UNWIND $ids AS id
MATCH (i:Incident {id: id})-[o:OCCURRED_AT]->(f:Facility)
WHERE (o.retracted_at IS NULL OR $all)
WITH i, o, f, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
CALL (f, start, end) {
  MATCH (f)<-[r:POSTED_AT]-(p:Person)
  WHERE (r.retracted_at IS NULL OR $all)
    AND ($all OR start IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= end)
                            AND (r.valid_to IS NULL OR r.valid_to >= start)))
  RETURN p, CASE WHEN r.command THEN 'SUPERIOR_RESPONSIBILITY' ELSE 'PRESENT' END AS mode,
         [r] AS rels
  UNION ALL
  MATCH (f)<-[r:AIDED]-(p:Person)
  WHERE (r.retracted_at IS NULL OR $all)
    AND ($all OR start IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= end)
                            AND (r.valid_to IS NULL OR r.valid_to >= start)))
  RETURN p, 'AIDING_ABETTING' AS mode, [r] AS rels
  UNION ALL
  MATCH (f)<-[op:OPERATED]-(:Unit)<-[a:AIDED]-(p:Person)
  WHERE (a.retracted_at IS NULL OR $all) AND (op.retracted_at IS NULL OR $all)
    AND ($all OR start IS NULL OR ((a.valid_from IS NULL OR a.valid_from <= end)
                            AND (a.valid_to IS NULL OR a.valid_to >= start)
                            AND (op.valid_from IS NULL OR op.valid_from <= end)
                            AND (op.valid_to IS NULL OR op.valid_to >= start)))
  RETURN p, 'AIDING_ABETTING' AS mode, [a, op] AS rels
}
WITH i, p, mode, rels, o
WHERE $person IS NULL OR p.id = $person
RETURN i.id AS incident, p.id AS person, mode,
       [r IN rels + [o] | r {.*, type: type(r), from: startNode(r).id, to: endNode(r).id}]
         AS claims,
       false AS cut
