INSERT INTO messages (message_id, debate_id, round, sequence, turn_index, model_id, model_name, message_type, text,
                      audio_url, audio_duration, audio_error, tokens_used, timestamp)
VALUES (:m.messageId, :debateId, :m.round, :m.sequence, :turnIndex, :m.modelId, :m.modelName, :m.messageType,
        :m.text, :m.audioUrl, :m.audioDuration, :m.audioError, :tokens, :m.timestamp)
