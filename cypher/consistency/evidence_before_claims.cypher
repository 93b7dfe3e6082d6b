// Standing claims citing an evidence item acquired before the fact it documents began.
// The fact begins at the claim's valid_from; a claim about an act (PERPETRATED,
// ORDERED, AIDED pointing at an incident, VICTIM, OCCURRED_AT) without one begins with
// its incident, as in the trace. acquired_at is an instant and valid_from a day in an
// unknown time zone, so an item counts as earlier only when its UTC day is more than a
// day before. Starts from the dated evidence and follows the SUPPORTS index edges to
// each claim's start node; the claims of one start node are found in one pass over its
// relationships, however many dated items cite them (a hub, such as a unit of thousands
// of claims each citing its own statement, is read once, not once a citation); then each
// item a claim cites (its own evidence list has the last word) by its index.
MATCH (e:Evidence)
WHERE e.acquired_at IS NOT NULL
MATCH (e)-[s:SUPPORTS]->(a:Entity)
WITH a, collect(DISTINCT s.claim) AS wanted
MATCH (a)-[r]->(b:Entity)
WHERE r.id IN wanted AND r.retracted_at IS NULL
WITH r, a, b,
     coalesce(r.valid_from,
              CASE WHEN type(r) IN ['PERPETRATED', 'ORDERED', 'AIDED'] AND b:Incident
                   THEN b.start_date
                   WHEN type(r) IN ['VICTIM', 'OCCURRED_AT'] THEN a.start_date END) AS begins
WHERE begins IS NOT NULL
UNWIND r.evidence AS cited
MATCH (e:Evidence {id: cited})
WHERE e.acquired_at IS NOT NULL
WITH DISTINCT r, a, b, begins, e.id AS item, date(left(e.acquired_at, 10)) AS acquired
WHERE acquired < begins - duration('P1D')
WITH r, a, b, begins, item, acquired
ORDER BY r.id, item
WITH r, a, b, begins, collect(item) AS items, collect(acquired) AS acquired
RETURN r.id AS claim, type(r) AS type, a.id AS from, b.id AS to, begins, items, acquired
ORDER BY claim
LIMIT $limit
