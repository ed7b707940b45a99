package com.polydebate.debates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL of the debate engine: debates, their models and outcomes, messages and the event log. Statements that must
 * commit together (a state change with its events, the quota with the insert) run on a DAO attached to the
 * caller's transaction; the rest is used on demand.
 */
@RegisterConstructorMapper(DebateModel.class)
@RegisterConstructorMapper(StoredOutcome.class)
@RegisterConstructorMapper(StoredEvent.class)
@RegisterConstructorMapper(DebateStore.Header.class)
@RegisterConstructorMapper(DebateStore.Unterminated.class)
@RegisterConstructorMapper(DebateStore.ContextRow.class)
@RegisterConstructorMapper(DebateStore.JobState.class)
@RegisterConstructorMapper(DebateStore.StatusCount.class)
interface DebateStore {
    String ACTIVE = "('initialized', 'in_progress', 'paused')";

    /** A debate to create, with the market snapshot taken at the start. */
    record NewDebate(String debateId, long userId, String marketId, String question, String description,
                     String category, String oddsJson, int rounds, boolean independentFirstRound, String createdAt,
                     List<DebateModel> models, List<StoredOutcome> outcomes) {
    }

    /**
     * A model with its position, to bind: JDBI reads the accessors of public types only, and the debate's own
     * records are package-private (these nested ones are public).
     */
    record ModelRow(int position, String modelId, String modelName, String provider) {
    }

    /** An outcome bound at its position. */
    record OutcomeRow(int position, String name, String slug, double price, String shares, String volume,
                      Double priceChange24h, String imageUrl) {
    }

    /** The columns of a {@link DebateRow}, before its models and outcomes are added. */
    record Header(String debateId, Long userId, String status, boolean paused, boolean deleted, String marketId,
                  String question, String description, int rounds, boolean independentFirstRound, int currentRound,
                  int nextTurn, String startedAt, String createdAt) {
        DebateRow with(List<DebateModel> models, List<StoredOutcome> outcomes) {
            return new DebateRow(debateId, userId, status, paused, deleted, marketId, question, description, rounds,
                    independentFirstRound, currentRound, nextTurn, startedAt, createdAt, models, outcomes);
        }
    }

    /** A finished debate whose terminal event was never written (the process died in between). */
    record Unterminated(String debateId, String status, String stoppedBy, int rounds, int nextTurn, String createdAt,
                        String completedAt, int messages, int models) {
    }

    /** How many debates (not deleted) have a status. */
    record StatusCount(String status, long debates) {
    }

    /** A message joined with one of its predictions (none: null outcome). */
    record ContextRow(String messageId, String modelName, String text, String outcomeName, Double percentage) {
    }

    /** A new debate with its snapshot; the caller's transaction also holds the quota reservation. */
    default void insert(NewDebate debate) {
        insertRow(debate);
        List<DebateModel> models = debate.models();
        insertModels(debate.debateId(), IntStream.range(0, models.size()).mapToObj(i -> new ModelRow(i,
                models.get(i).modelId(), models.get(i).modelName(), models.get(i).provider())).toList());
        List<StoredOutcome> outcomes = debate.outcomes();
        insertOutcomes(debate.debateId(), IntStream.range(0, outcomes.size()).mapToObj(i -> {
            StoredOutcome o = outcomes.get(i);
            return new OutcomeRow(i, o.name(), o.slug(), o.price(), o.shares(), o.volume(), o.priceChange24h(),
                    o.imageUrl());
        }).toList());
    }

    @SqlUpdate
    @UseClasspathSqlLocator
    void insertRow(@BindMethods NewDebate debate);

    @SqlBatch("INSERT INTO debate_models (debate_id, position, model_id, model_name, provider) "
            + "VALUES (:debateId, :position, :modelId, :modelName, :provider)")
    void insertModels(String debateId, @BindMethods List<ModelRow> models);

    @SqlBatch
    @UseClasspathSqlLocator
    void insertOutcomes(String debateId, @BindMethods List<OutcomeRow> outcomes);

    /** The debate with its models and outcomes, deleted or not. */
    default Optional<DebateRow> find(String debateId) {
        return header(debateId).map(h -> h.with(models(debateId), outcomes(debateId)));
    }

    @SqlQuery
    @UseClasspathSqlLocator
    Optional<Header> header(String debateId);

    @SqlQuery("SELECT model_id, model_name, provider FROM debate_models WHERE debate_id = :debateId ORDER BY position")
    List<DebateModel> models(String debateId);

    @SqlQuery("SELECT name, slug, price, shares, volume, price_change_24h, image_url "
            + "FROM debate_outcomes WHERE debate_id = :debateId ORDER BY position")
    List<StoredOutcome> outcomes(String debateId);

    /** Terminal debates without their terminal event whose lease is free, expired or already this instance's. */
    @SqlQuery
    @UseClasspathSqlLocator
    List<Unterminated> finishedWithoutTerminalEvent(String me, String now);

    // Leases (V8): who runs a debate's job. Every claim is a conditional UPDATE, so two instances never both win.

    /** Runnable debates no live instance holds (or this instance held before a restart under the same id). */
    @SqlQuery("SELECT debate_id FROM debates WHERE status IN ('initialized', 'in_progress') AND is_deleted = FALSE "
            + "AND (lease_owner IS NULL OR lease_owner = :me OR lease_expires_at < :now) ORDER BY created_at")
    List<String> claimable(String me, String now);

    /** Takes the lease of a runnable (not paused) debate if it is free, expired or ours. */
    @SqlUpdate("UPDATE debates SET lease_owner = :me, lease_expires_at = :until WHERE debate_id = :debateId "
            + "AND status IN ('initialized', 'in_progress') AND is_deleted = FALSE "
            + "AND (lease_owner IS NULL OR lease_owner = :me OR lease_expires_at < :now)")
    boolean claimLease(String debateId, String me, String now, String until);

    /** Takes the lease of a finished debate to repair its event log, so that one instance repairs it at a time. */
    @SqlUpdate("UPDATE debates SET lease_owner = :me, lease_expires_at = :until WHERE debate_id = :debateId "
            + "AND (lease_owner IS NULL OR lease_owner = :me OR lease_expires_at < :now)")
    boolean claimRepairLease(String debateId, String me, String now, String until);

    /** The fence: extends the lease only while this instance still holds it (even expired: nobody took it). */
    @SqlUpdate("UPDATE debates SET lease_expires_at = :until WHERE debate_id = :debateId AND lease_owner = :me")
    boolean renewLease(String debateId, String me, String until);

    @SqlUpdate("UPDATE debates SET lease_owner = NULL, lease_expires_at = NULL "
            + "WHERE debate_id = :debateId AND lease_owner = :me")
    void releaseLease(String debateId, String me);

    /** Releases the lease of a parking job, only while the debate is still paused (a resume keeps it running). */
    @SqlUpdate("UPDATE debates SET lease_owner = NULL, lease_expires_at = NULL "
            + "WHERE debate_id = :debateId AND lease_owner = :me AND status = 'paused'")
    boolean releasePausedLease(String debateId, String me);

    @SqlQuery("SELECT COUNT(*) > 0 FROM debates WHERE debate_id = :debateId AND lease_owner <> :me "
            + "AND lease_expires_at >= :now")
    boolean leaseHeldElsewhere(String debateId, String me, String now);

    /** What a running job re-reads between steps: controls sent to any instance, and who holds the lease. */
    record JobState(String status, boolean deleted, String leaseOwner) {
    }

    @SqlQuery("SELECT status, is_deleted AS deleted, lease_owner FROM debates WHERE debate_id = :debateId")
    Optional<JobState> jobState(String debateId);

    @SqlQuery("SELECT status, COUNT(*) AS debates FROM debates WHERE is_deleted = FALSE GROUP BY status")
    List<StatusCount> countByStatus();

    // State transitions are conditional, so that the job and the control endpoints cannot both win.

    @SqlUpdate("UPDATE debates SET status = CASE WHEN status = 'initialized' THEN 'in_progress' ELSE status END, "
            + "started_at = :now WHERE debate_id = :debateId")
    void markStarted(String debateId, String now);

    @SqlUpdate("UPDATE debates SET status = 'paused', paused = TRUE "
            + "WHERE debate_id = :debateId AND status IN ('initialized', 'in_progress')")
    boolean pause(String debateId);

    @SqlUpdate("UPDATE debates SET status = 'in_progress', paused = FALSE WHERE debate_id = :debateId "
            + "AND status = 'paused'")
    boolean resume(String debateId);

    @SqlUpdate("UPDATE debates SET status = 'stopped', paused = FALSE, stopped_by = :stoppedBy, completed_at = :now "
            + "WHERE debate_id = :debateId AND status IN " + ACTIVE)
    boolean stop(String debateId, String stoppedBy, String now);

    @SqlUpdate("UPDATE debates SET status = :status, paused = FALSE, completed_at = :now "
            + "WHERE debate_id = :debateId AND status IN " + ACTIVE)
    boolean finish(String debateId, String status, String now);

    @SqlQuery("SELECT stopped_by FROM debates WHERE debate_id = :debateId")
    Optional<String> stoppedBy(String debateId);

    @SqlQuery("SELECT next_turn FROM debates WHERE debate_id = :debateId")
    int nextTurn(String debateId);

    @SqlUpdate("UPDATE debates SET is_deleted = TRUE WHERE debate_id = :debateId")
    void softDelete(String debateId);

    @SqlUpdate("UPDATE debates SET current_round = :round WHERE debate_id = :debateId AND current_round < :round")
    void setCurrentRound(String debateId, int round);

    @SqlUpdate("UPDATE debates SET next_turn = :nextTurn WHERE debate_id = :debateId")
    void setNextTurn(String debateId, int nextTurn);

    /** The message, its predictions in their order, and its tokens added to the debate's total. */
    default void insertMessage(String debateId, MessageView message, int turnIndex, long tokens) {
        insertMessageRow(debateId, message, turnIndex, tokens);
        List<String> names = List.copyOf(message.predictions().keySet());
        insertPredictions(message.messageId(), IntStream.range(0, names.size()).boxed().toList(), names,
                names.stream().map(message.predictions()::get).toList());
        addTokens(debateId, tokens);
    }

    @SqlUpdate
    @UseClasspathSqlLocator
    void insertMessageRow(String debateId, @BindMethods("m") MessageView message, int turnIndex, long tokens);

    @SqlBatch("INSERT INTO message_predictions (message_id, position, outcome_name, percentage) "
            + "VALUES (:messageId, :position, :outcomeName, :percentage)")
    void insertPredictions(String messageId, List<Integer> position, List<String> outcomeName,
                           List<Double> percentage);

    @SqlUpdate("UPDATE debates SET total_tokens_used = total_tokens_used + :tokens WHERE debate_id = :debateId")
    void addTokens(String debateId, long tokens);

    /** The debate's messages with their predictions, in order, as the next prompts quote them: one query. */
    default List<ContextMessage> contextMessages(String debateId) {
        Map<String, ContextMessage> messages = new LinkedHashMap<>();
        for (ContextRow row : contextRows(debateId)) {
            ContextMessage message = messages.computeIfAbsent(row.messageId(),
                    id -> new ContextMessage(row.modelName(), row.text(), new LinkedHashMap<>()));
            if (row.outcomeName() != null) {
                message.predictions().put(row.outcomeName(), row.percentage());
            }
        }
        return List.copyOf(messages.values());
    }

    @SqlQuery
    @UseClasspathSqlLocator
    List<ContextRow> contextRows(String debateId);

    @SqlQuery("SELECT COUNT(*) FROM messages WHERE debate_id = :debateId")
    int messageCount(String debateId);

    /** Appends an event under the debate's next sequence number and answers that number. */
    default long appendEvent(String debateId, String event, String data, String now, boolean terminal) {
        bumpEventSeq(debateId);
        long seq = lastEventSeq(debateId);
        insertEvent(debateId, seq, event, data, now, terminal);
        return seq;
    }

    @SqlUpdate("UPDATE debates SET last_event_seq = last_event_seq + 1 WHERE debate_id = :debateId")
    void bumpEventSeq(String debateId);

    @SqlQuery("SELECT last_event_seq FROM debates WHERE debate_id = :debateId")
    long lastEventSeq(String debateId);

    @SqlUpdate("INSERT INTO debate_events (debate_id, seq, event, data, created_at, is_terminal) "
            + "VALUES (:debateId, :seq, :event, :data, :now, :terminal)")
    void insertEvent(String debateId, long seq, String event, String data, String now, boolean terminal);

    @SqlQuery("SELECT COUNT(*) > 0 FROM debate_events WHERE debate_id = :debateId AND is_terminal")
    boolean hasTerminalEvent(String debateId);

    @SqlQuery("SELECT status FROM debates WHERE debate_id = :debateId AND is_deleted = FALSE")
    Optional<String> status(String debateId);

    @SqlQuery("SELECT debate_id, seq, event, data, is_terminal AS terminal FROM debate_events "
            + "WHERE debate_id = :debateId AND seq > :cursor "
            + "ORDER BY seq")
    List<StoredEvent> eventsAfter(String debateId, long cursor);

    @SqlQuery("SELECT debate_id, seq, event, data, is_terminal AS terminal FROM debate_events "
            + "WHERE debate_id = :debateId ORDER BY seq DESC LIMIT 1")
    Optional<StoredEvent> lastEvent(String debateId);

    /** A model call's trace (issue 15), bound by name. */
    record TraceRow(String debateId, int turn, int round, String modelId, String messageId, String outcome,
                    String error, String request, String attempts, String rawAnswer, String parseFallback,
                    boolean streamed, Long promptTokens, Long completionTokens, Long reasoningTokens,
                    Long totalTokens, Double cost, long latencyMs, Long timeToFirstTokenMs, String createdAt) {
    }

    /** Stores the trace and adds the call's cost, or its lack of one, to the debate's totals. */
    default void insertTrace(TraceRow trace) {
        insertTraceRow(trace);
        if (trace.cost() != null) {
            addCost(trace.debateId(), trace.cost());
        } else {
            countCallWithoutCost(trace.debateId());
        }
    }

    @SqlUpdate("INSERT INTO model_call_traces (debate_id, turn, round, model_id, message_id, outcome, error, request, "
            + "attempts, raw_answer, parse_fallback, streamed, prompt_tokens, completion_tokens, reasoning_tokens, "
            + "total_tokens, cost, latency_ms, time_to_first_token_ms, created_at) VALUES (:t.debateId, :t.turn, "
            + ":t.round, :t.modelId, :t.messageId, :t.outcome, :t.error, :t.request, :t.attempts, :t.rawAnswer, "
            + ":t.parseFallback, :t.streamed, :t.promptTokens, :t.completionTokens, :t.reasoningTokens, "
            + ":t.totalTokens, :t.cost, :t.latencyMs, :t.timeToFirstTokenMs, :t.createdAt)")
    void insertTraceRow(@BindMethods("t") TraceRow trace);

    @SqlUpdate("UPDATE debates SET total_cost = COALESCE(total_cost, 0) + :cost WHERE debate_id = :debateId")
    void addCost(String debateId, double cost);

    @SqlUpdate("UPDATE debates SET calls_without_cost = calls_without_cost + 1 WHERE debate_id = :debateId")
    void countCallWithoutCost(String debateId);

    /** Drops traces written before {@code before} (TRACE_RETENTION_DAYS); the debates keep their totals. */
    @SqlUpdate("DELETE FROM model_call_traces WHERE created_at < :before")
    int purgeTraces(String before);
}
