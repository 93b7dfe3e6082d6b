// Claim keys of claims written before renditions existed: their claims may carry text
// (a retraction reason, a rank), so the re-masking job must look at each once.
MATCH (k:ClaimKey)
WHERE k.m_gen IS NULL AND k.checked IS NULL
WITH k
LIMIT $limit
SET k.m_gen = -1, k.checked = true
RETURN count(k) AS stamped
