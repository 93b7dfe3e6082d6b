// An incident and its period (the end defaults to the start).
MATCH (i:Incident {id: $id})
RETURN i.id AS id, i.start_date AS start, coalesce(i.end_date, i.start_date) AS end
