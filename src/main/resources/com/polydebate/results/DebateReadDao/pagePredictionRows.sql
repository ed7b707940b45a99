SELECT m.debate_id, m.message_id, m.model_id, m.model_name, m.round, m.sequence, p.outcome_name, p.percentage
  FROM messages m
  JOIN message_predictions p ON p.message_id = m.message_id
 WHERE m.debate_id IN (<ids>)
 ORDER BY m.debate_id, m.sequence, p.position
