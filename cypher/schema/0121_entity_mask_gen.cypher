CREATE INDEX entity_mask_gen IF NOT EXISTS FOR (n:Entity) ON (n.m_gen)
