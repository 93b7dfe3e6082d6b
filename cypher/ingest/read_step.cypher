// A step's before-images: read by the undo, and by nothing else.
MATCH (s:ImportStep {id: $id})
RETURN s.payload AS payload, s.undone AS undone
