// Every standing SUBORDINATE_TO claim between units, for the cycle search. The search
// runs in Python (domain/consistency.py): it keeps only the units of strongly connected
// components and drops a path as soon as its periods stop overlapping, which a Cypher
// variable-length pattern cannot do while it expands (it enumerates every upward path
// of every unit first). These claims are few beside the graph: one or two a unit.
MATCH (a:Unit)-[r:SUBORDINATE_TO]->(b:Unit)
WHERE r.retracted_at IS NULL
RETURN r.id AS claim, a.id AS from, b.id AS to, r.valid_from AS valid_from,
       r.valid_to AS valid_to
