SELECT d.status, d.paused, d.current_round, d.completed_at, d.summary_status,
       LENGTH(d.final_summary) AS summary_length,
       LENGTH(d.final_predictions) AS predictions_length,
       (SELECT COUNT(*) FROM messages m WHERE m.debate_id = d.debate_id) AS messages,
       (SELECT MAX(m.sequence) FROM messages m WHERE m.debate_id = d.debate_id) AS last_sequence,
       (SELECT SUM(LENGTH(m.text) + LENGTH(COALESCE(m.audio_url, '')) + LENGTH(COALESCE(m.audio_error, ''))
                   + COALESCE(m.audio_duration, 0))
          FROM messages m WHERE m.debate_id = d.debate_id) AS message_content,
       (SELECT COUNT(*) FROM message_predictions p JOIN messages m ON m.message_id = p.message_id
         WHERE m.debate_id = d.debate_id) AS predictions
  FROM debates d
 WHERE d.debate_id = :debateId AND d.is_deleted = FALSE
