// Claims by id, whatever their type (each type has a uniqueness index on id).
UNWIND $ids AS id
MATCH (a)-[r:MEMBER_OF|COMMANDED|SUBORDINATE_TO|OPERATED|POSTED_AT|DETAINED_AT|OCCURRED_AT|VICTIM|PERPETRATED|ORDERED|AIDED|DOCUMENTS|INCLUDES {id: id}]->(b)
RETURN r.id AS id, type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
