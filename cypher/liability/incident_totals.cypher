// Incidents begun between $first_day and $last_day (either bound null: open), with
// distinct victims and deaths counted as in pattern_rows: the part and the whole of a
// share.
MATCH (i:Incident)
WHERE i.start_date IS NOT NULL
  AND ($first_day IS NULL OR i.start_date >= $first_day)
  AND ($last_day IS NULL OR i.start_date <= $last_day)
CALL (i) {
  OPTIONAL MATCH (i)-[v:VICTIM]->(p:Person)
  WHERE v.retracted_at IS NULL
  RETURN p.id AS victim, (i.kind = 'killing' OR p.status = 'died_in_custody') AS died
}
RETURN count(DISTINCT i) AS incidents, count(DISTINCT victim) AS victims,
       count(DISTINCT CASE WHEN died THEN victim END)
         + count(DISTINCT CASE WHEN victim IS NULL AND i.kind = 'killing' THEN i.id END)
         AS deaths
