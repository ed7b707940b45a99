SELECT m.message_id, m.model_name, m.text, p.outcome_name, p.percentage
  FROM messages m
  LEFT JOIN message_predictions p ON p.message_id = m.message_id
 WHERE m.debate_id = :debateId
 ORDER BY m.sequence, p.position
