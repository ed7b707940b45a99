SELECT r.market_id,
       COALESCE((SELECT d.market_question FROM debates d WHERE d.market_id = r.market_id AND d.is_deleted = FALSE
                  ORDER BY d.created_at DESC, d.debate_id DESC LIMIT 1), '') AS question,
       (SELECT COUNT(*) FROM debates d WHERE d.market_id = r.market_id AND d.is_deleted = FALSE) AS debates,
       r.state, r.winner_name, r.winner_token, r.winner_count, r.settled_at, r.closed_at, r.raw, r.first_seen_at,
       r.checked_at, r.changed_at, r.next_check_at, r.failures, r.last_error
  FROM market_resolutions r
 WHERE r.state IN (<states>)
 ORDER BY r.changed_at DESC, r.market_id
 LIMIT :limit
