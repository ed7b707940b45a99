UPDATE debates
   SET summary_status = 'none', summary_owner = NULL, summary_claim = NULL, summary_lease_expires_at = NULL
 WHERE debate_id = :debateId AND summary_status = 'generating' AND summary_claim = :claim
