package com.polydebate.results;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Reads the model-call traces (issue 15 §3) and the debate's owner, which decides who may read them. */
@RegisterConstructorMapper(TraceDao.TraceRow.class)
@RegisterConstructorMapper(TraceDao.Owner.class)
@RegisterConstructorMapper(TraceDao.Costs.class)
interface TraceDao {
    /** One stored trace; JSON columns are kept as their stored text. */
    record TraceRow(long id, int turn, int round, String modelId, String messageId, String outcome, String error,
                    String request, String attempts, String rawAnswer, String parseFallback, boolean streamed,
                    Long promptTokens, Long completionTokens, Long reasoningTokens, Long totalTokens, Double cost,
                    long latencyMs, Long timeToFirstTokenMs, String createdAt) {
    }

    record Owner(Long userId) {
    }

    /** What a debate's model calls used: tokens, and the cost summed over the calls that reported one. */
    record Costs(long totalTokensUsed, Double totalCost, int callsWithoutCost) {
        /** The cost when every call reported one, else empty: a sum with gaps would understate it. */
        Optional<Double> knownCost() {
            return callsWithoutCost == 0 ? Optional.ofNullable(totalCost) : Optional.empty();
        }
    }

    @SqlQuery("SELECT user_id FROM debates WHERE debate_id = :debateId AND is_deleted = FALSE")
    Optional<Owner> owner(String debateId);

    @SqlQuery("SELECT total_tokens_used, total_cost, calls_without_cost FROM debates WHERE debate_id = :debateId")
    Optional<Costs> costs(String debateId);

    @SqlQuery("SELECT COUNT(*) FROM model_call_traces WHERE debate_id = :debateId")
    long count(String debateId);

    @SqlQuery("SELECT id, turn, round, model_id, message_id, outcome, error, request, attempts, raw_answer, "
            + "parse_fallback, streamed, prompt_tokens, completion_tokens, reasoning_tokens, total_tokens, cost, "
            + "latency_ms, time_to_first_token_ms, created_at FROM model_call_traces WHERE debate_id = :debateId "
            + "ORDER BY id LIMIT :limit OFFSET :offset")
    List<TraceRow> page(String debateId, int limit, int offset);
}
