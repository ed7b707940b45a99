UPDATE debates
   SET summary_status = 'generating', summary_owner = :owner, summary_claim = :claim,
       summary_lease_expires_at = :until
 WHERE debate_id = :debateId AND final_summary IS NULL
   AND (summary_status <> 'generating' OR summary_lease_expires_at IS NULL OR summary_lease_expires_at < :now)
