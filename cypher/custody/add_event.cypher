// One event in an evidence item's chain of custody (append-only: never updated).
MATCH (e:Evidence {id: $evidence})
CREATE (c:CustodyEvent {id: $id, evidence: e.id, at: $at, action: $action,
                        from_party: $from_party, to_party: $to_party, by: $by,
                        sha256: $sha256, hash_ok: $hash_ok, note: $note})
RETURN c.id AS id
