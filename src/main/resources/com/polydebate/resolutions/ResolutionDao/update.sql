UPDATE market_resolutions
   SET state = :state,
       winner_name = :winnerName,
       winner_token = :winnerToken,
       winner_count = :winnerCount,
       settled_at = :settledAt,
       closed_at = :closedAt,
       raw = :raw,
       checked_at = :now,
       changed_at = CASE WHEN :changed THEN :now ELSE changed_at END,
       next_check_at = :nextCheckAt,
       failures = 0,
       last_error = NULL
 WHERE market_id = :marketId
