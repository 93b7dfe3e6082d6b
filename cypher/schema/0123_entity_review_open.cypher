CREATE INDEX entity_review_open IF NOT EXISTS FOR (n:Entity) ON (n.review_open)
