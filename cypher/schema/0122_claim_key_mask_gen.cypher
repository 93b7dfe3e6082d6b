CREATE INDEX claim_key_mask_gen IF NOT EXISTS FOR (k:ClaimKey) ON (k.m_gen)
