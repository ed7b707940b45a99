SELECT message_id, round, sequence, model_id, model_name, message_type, text, audio_url, audio_duration,
       audio_error, timestamp
  FROM messages
 WHERE debate_id = :debateId
 ORDER BY sequence
