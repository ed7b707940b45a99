SELECT m.model_id, m.round, m.sequence, p.outcome_name, p.percentage
  FROM messages m
  JOIN message_predictions p ON p.message_id = m.message_id
 WHERE m.debate_id = :debateId
 ORDER BY m.sequence, p.position
