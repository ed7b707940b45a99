UPDATE debates
   SET summary_status = 'generating', summary_claimed_at = :now
 WHERE debate_id = :debateId AND final_summary IS NULL
   AND (summary_status <> 'generating' OR summary_claimed_at IS NULL OR summary_claimed_at < :staleBefore)
