// Every person with what duplicate finding compares: names, birth year, protection, and
// the units and facilities of their standing claims. Streamed unordered: an ORDER BY over
// every person would spend the engine's shared sort budget for nothing.
MATCH (p:Person)
RETURN p.id AS id, p.name AS name, p.aliases AS aliases, p.birth_year AS birth_year,
       coalesce(p.protected, false) AS protected,
       COLLECT {
         MATCH (p)-[r:MEMBER_OF|COMMANDED]->(u:Unit)
         WHERE r.retracted_at IS NULL
         RETURN DISTINCT u.id
       } AS units,
       COLLECT {
         MATCH (p)-[r:POSTED_AT|DETAINED_AT]->(f:Facility)
         WHERE r.retracted_at IS NULL
         RETURN DISTINCT f.id
       } AS facilities
