// Incidents and their periods (an end defaults to the start), as the trace uses them.
UNWIND $ids AS id
MATCH (i:Incident {id: id})
RETURN i.id AS id, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
