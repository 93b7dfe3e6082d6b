// Where to look for the incidents around each of these incidents: its facility, with
// its period, and the other facilities of the units that operated that facility during
// it, each with the dates of that unit's operation (an incident there counts only when
// the unit operated it at the time). services/liability/context.py counts them.
UNWIND $ids AS id
MATCH (i:Incident {id: id})-[o:OCCURRED_AT]->(f:Facility)
WHERE o.retracted_at IS NULL AND i.start_date IS NOT NULL
WITH i, f, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
OPTIONAL MATCH (f)<-[op:OPERATED]-(:Unit)-[op2:OPERATED]->(site:Facility)
WHERE op.retracted_at IS NULL AND op2.retracted_at IS NULL AND site <> f
  AND (op.valid_from IS NULL OR op.valid_from <= end)
  AND (op.valid_to IS NULL OR op.valid_to >= start)
WITH i, f, start, end,
     collect(CASE WHEN site IS NULL THEN null
                  ELSE {site: site.id, valid_from: op2.valid_from, valid_to: op2.valid_to} END)
       AS via
RETURN i.id AS incident, f.id AS facility, start, end, via
