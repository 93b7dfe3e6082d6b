// Reviewers' verdicts on uncertain mentions: is this form a mention of this person?
MATCH (d:MentionDecision)
RETURN d.person AS person, d.form AS form, d.accepted AS accepted
