// Mark a claim retracted; it is kept, with who, why and when.
MATCH (a)-[r:MEMBER_OF|COMMANDED|SUBORDINATE_TO|OPERATED|POSTED_AT|DETAINED_AT|OCCURRED_AT|VICTIM|PERPETRATED|ORDERED|AIDED|DOCUMENTS|INCLUDES {id: $id}]->(b)
WHERE r.retracted_at IS NULL
SET r.retracted_at = $now, r.retracted_by = $by, r.retraction_reason = $reason,
    r.updated_at = $now
RETURN r.id AS id
