CREATE INDEX claim_key_review_open IF NOT EXISTS FOR (k:ClaimKey) ON (k.review_open)
