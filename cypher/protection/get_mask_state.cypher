// The version of the protected names (gen) and the oldest rendition still served (floor).
OPTIONAL MATCH (g:MaskState {id: 'mask'})
RETURN coalesce(g.gen, 0) AS gen, coalesce(g.floor, 0) AS floor
