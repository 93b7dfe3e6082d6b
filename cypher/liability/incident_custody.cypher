// Victims held at the facility where the incident occurred while it happened: their
// standing DETAINED_AT claims there in force during the incident (the trace's rule).
UNWIND $ids AS id
MATCH (i:Incident {id: id})-[o:OCCURRED_AT]->(f:Facility)
WHERE o.retracted_at IS NULL
WITH i, f, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
MATCH (i)-[v:VICTIM]->(p:Person)
WHERE v.retracted_at IS NULL
MATCH (p)-[d:DETAINED_AT]->(f)
WHERE d.retracted_at IS NULL
  AND (start IS NULL OR ((d.valid_from IS NULL OR d.valid_from <= end)
                    AND (d.valid_to IS NULL OR d.valid_to >= start)))
RETURN i.id AS incident, p.id AS victim, d {.*, type: type(d), from: p.id, to: f.id} AS claim
