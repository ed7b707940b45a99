SELECT p.message_id, p.outcome_name, p.percentage
  FROM message_predictions p
  JOIN messages m ON m.message_id = p.message_id
 WHERE m.debate_id = :debateId
 ORDER BY p.message_id, p.position
