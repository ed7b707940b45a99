UPDATE debates
   SET final_summary = :summaryJson, summary_status = 'ready', summary_claimed_at = NULL
 WHERE debate_id = :debateId AND summary_status = 'generating' AND summary_claimed_at = :claimedAt
