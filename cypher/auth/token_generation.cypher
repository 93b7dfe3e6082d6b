// How many times tokens were revoked: an instance that sees it change forgets the
// tokens it verified, whichever instance revoked one.
OPTIONAL MATCH (s:TokenState {id: 'tokens'})
RETURN coalesce(s.gen, 0) AS gen
