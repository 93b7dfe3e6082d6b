// Where each incident occurred, and the units that operated that facility during it
// (the trace's rule for OPERATED): what a notification or a measure may be about.
UNWIND $ids AS id
MATCH (i:Incident {id: id})-[o:OCCURRED_AT]->(f:Facility)
WHERE o.retracted_at IS NULL
WITH i, f, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
OPTIONAL MATCH (f)<-[op:OPERATED]-(u:Unit)
WHERE op.retracted_at IS NULL
  AND (start IS NULL OR ((op.valid_from IS NULL OR op.valid_from <= end)
                    AND (op.valid_to IS NULL OR op.valid_to >= start)))
RETURN i.id AS incident, f.id AS facility, collect(DISTINCT u.id) AS operators
