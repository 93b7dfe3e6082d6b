// A person's memberships, commands and posts over time (retracted ones excluded).
MATCH (p:Person {id: $id})-[r:MEMBER_OF|COMMANDED|POSTED_AT]->(target)
WHERE r.retracted_at IS NULL
RETURN r {.*, type: type(r), from: p.id, to: target.id} AS claim
ORDER BY r.valid_from, r.id
