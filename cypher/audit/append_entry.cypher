// Append an entry and move the head. The uniqueness of seq is what keeps one chain:
// of two writers that read the same head, only one can commit its entry.
CREATE (e:AuditEntry {seq: $seq, at: $at, actor: $actor, role: $role, action: $action,
                      targets: $targets, target_count: $target_count, summary: $summary,
                      prev_hash: $prev_hash, hash: $hash})
MERGE (h:AuditHead {id: 'head'})
SET h.seq = $seq, h.hash = $hash
RETURN e.seq AS seq
