CREATE CONSTRAINT mention_decision_id IF NOT EXISTS FOR (d:MentionDecision) REQUIRE d.id IS UNIQUE
