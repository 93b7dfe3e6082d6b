// A reviewer's verdict: is this form a mention of this protected person?
MERGE (d:MentionDecision {id: $id})
SET d.person = $person, d.form = $form, d.accepted = $accepted, d.by = $by, d.at = $now
RETURN d.id AS id
