CREATE CONSTRAINT duplicate_judgement_id IF NOT EXISTS FOR (j:DuplicateJudgement) REQUIRE j.id IS UNIQUE
