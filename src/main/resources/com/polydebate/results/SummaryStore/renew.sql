UPDATE debates
   SET summary_lease_expires_at = :until
 WHERE debate_id = :debateId AND summary_status = 'generating' AND summary_claim = :claim
