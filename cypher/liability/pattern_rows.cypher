// The contextual element's figures: incidents begun between $first_day and $last_day,
// counted by $group (FACILITY: where they occurred; UNIT: the units operating that
// facility during the incident; KIND; MONTH or YEAR of their start), with distinct
// victims and deaths (victims of killings or who died in custody, and a killing with no
// recorded victim as one). Counts and ids only: a protected victim is counted, never
// named.
MATCH (i:Incident)
WHERE i.start_date >= $first_day AND i.start_date <= $last_day
CALL (i) {
  OPTIONAL MATCH (i)-[o:OCCURRED_AT]->(f:Facility)
  WHERE o.retracted_at IS NULL AND $group IN ['FACILITY', 'UNIT']
  OPTIONAL MATCH (f)<-[op:OPERATED]-(u:Unit)
  WHERE $group = 'UNIT' AND op.retracted_at IS NULL
    AND (op.valid_from IS NULL OR op.valid_from <= coalesce(i.end_date, i.start_date))
    AND (op.valid_to IS NULL OR op.valid_to >= i.start_date)
  RETURN CASE $group WHEN 'UNIT' THEN collect(DISTINCT u.id) ELSE collect(DISTINCT f.id) END
         AS places
}
WITH i,
     CASE $group
       WHEN 'KIND' THEN [i.kind]
       WHEN 'MONTH' THEN [substring(toString(i.start_date), 0, 7)]
       WHEN 'YEAR' THEN [substring(toString(i.start_date), 0, 4)]
       ELSE places
     END AS keys
UNWIND CASE WHEN size(keys) = 0 THEN [null] ELSE keys END AS key
CALL (i) {
  OPTIONAL MATCH (i)-[v:VICTIM]->(p:Person)
  WHERE v.retracted_at IS NULL
  RETURN p.id AS victim, (i.kind = 'killing' OR p.status = 'died_in_custody') AS died
}
RETURN key, count(DISTINCT i) AS incidents, count(DISTINCT victim) AS victims,
       count(DISTINCT CASE WHEN died THEN victim END)
         + count(DISTINCT CASE WHEN victim IS NULL AND i.kind = 'killing' THEN i.id END)
         AS deaths
