// Add evidence ids to a claim, in one statement so concurrent attaches are not lost.
MATCH (a)-[r:MEMBER_OF|COMMANDED|SUBORDINATE_TO|OPERATED|POSTED_AT|DETAINED_AT|OCCURRED_AT|VICTIM|PERPETRATED|ORDERED|AIDED|DOCUMENTS|INCLUDES {id: $id}]->(b)
SET r.evidence = coalesce(r.evidence, []) + [e IN $evidence WHERE NOT e IN coalesce(r.evidence, [])],
    r.updated_at = $now
RETURN r.id AS id, a.id AS from
