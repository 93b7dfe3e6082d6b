// Take entities out of a case: retract their INCLUDES claims (kept, with who, why and
// when). Starts at each entity, not at the case, whose INCLUDES are many.
UNWIND $rows AS row
MATCH (n:Entity {id: row.entity})<-[r:INCLUDES]-(c:Case {id: $case})
WHERE r.id = row.claim AND r.retracted_at IS NULL
SET r.retracted_at = $now, r.retracted_by = $by, r.retraction_reason = $reason,
    r.updated_at = $now
RETURN count(r) AS retracted
