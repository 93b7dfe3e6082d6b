// Who perpetrated, ordered or directly aided the incident. Claims about the act
// take the incident's own period, so only retraction excludes them. With $all,
// retracted claims are kept (for explain); $person, when set, keeps one person.
UNWIND $ids AS id
MATCH (i:Incident {id: id})<-[r:PERPETRATED|ORDERED|AIDED]-(p:Person)
WHERE (r.retracted_at IS NULL OR $all) AND ($person IS NULL OR p.id = $person)
RETURN i.id AS incident, p.id AS person,
       CASE type(r)
         WHEN 'PERPETRATED' THEN 'PERPETRATION'
         WHEN 'ORDERED' THEN 'ORDERING'
         ELSE 'AIDING_ABETTING'
       END AS mode,
       [r {.*, type: type(r), from: p.id, to: i.id}] AS claims,
       false AS cut
