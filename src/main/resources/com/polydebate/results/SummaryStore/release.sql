UPDATE debates
   SET summary_status = 'none', summary_claimed_at = NULL
 WHERE debate_id = :debateId AND summary_status = 'generating' AND summary_claimed_at = :claimedAt
