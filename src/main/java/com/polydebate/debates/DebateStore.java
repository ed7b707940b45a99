package com.polydebate.debates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL of the debate engine: debates, their models/outcomes, messages, and the event log. */
final class DebateStore {
    private static final String ACTIVE_SQL = "('initialized', 'in_progress', 'paused')";

    private final Jdbi jdbi;

    DebateStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** A new debate with its snapshot; the caller's transaction also holds the quota reservation. */
    void insert(Handle h, String debateId, long userId, String marketId, String question, String description,
                String category, String oddsJson, int rounds, String createdAt, List<DebateModel> models,
                List<StoredOutcome> outcomes) {
        h.createUpdate("""
                        INSERT INTO debates (debate_id, user_id, status, market_id, market_question, market_description,
                            market_category, polymarket_odds, rounds, created_at)
                        VALUES (:id, :userId, 'initialized', :marketId, :question, :description, :category, :odds,
                            :rounds, :createdAt)""")
                .bind("id", debateId).bind("userId", userId).bind("marketId", marketId).bind("question", question)
                .bind("description", description).bind("category", category).bind("odds", oddsJson)
                .bind("rounds", rounds).bind("createdAt", createdAt).execute();
        for (int i = 0; i < models.size(); i++) {
            DebateModel m = models.get(i);
            h.createUpdate("INSERT INTO debate_models (debate_id, position, model_id, model_name, provider) "
                            + "VALUES (:id, :pos, :modelId, :name, :provider)")
                    .bind("id", debateId).bind("pos", i).bind("modelId", m.modelId()).bind("name", m.modelName())
                    .bind("provider", m.provider()).execute();
        }
        for (int i = 0; i < outcomes.size(); i++) {
            StoredOutcome o = outcomes.get(i);
            h.createUpdate("""
                            INSERT INTO debate_outcomes (debate_id, position, name, slug, price, shares, volume,
                                price_change_24h, image_url)
                            VALUES (:id, :pos, :name, :slug, :price, :shares, :volume, :change, :image)""")
                    .bind("id", debateId).bind("pos", i).bind("name", o.name()).bind("slug", o.slug())
                    .bind("price", o.price()).bind("shares", o.shares()).bind("volume", o.volume())
                    .bind("change", o.priceChange24h()).bind("image", o.imageUrl()).execute();
        }
    }

    Optional<DebateRow> find(String debateId) {
        return jdbi.withHandle(h -> find(h, debateId));
    }

    Optional<DebateRow> find(Handle h, String debateId) {
        Optional<Map<String, Object>> row = h.createQuery("""
                        SELECT debate_id, user_id, status, paused, is_deleted, market_id, market_question,
                               market_description, rounds, current_round, next_turn, started_at, created_at
                          FROM debates WHERE debate_id = :id""")
                .bind("id", debateId).mapToMap().findOne();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> r = row.get();
        List<DebateModel> models = h.createQuery(
                        "SELECT model_id, model_name, provider FROM debate_models WHERE debate_id = :id ORDER BY position")
                .bind("id", debateId)
                .map((rs, ctx) -> new DebateModel(rs.getString(1), rs.getString(2), rs.getString(3))).list();
        List<StoredOutcome> outcomes = h.createQuery("""
                        SELECT name, slug, price, shares, volume, price_change_24h, image_url
                          FROM debate_outcomes WHERE debate_id = :id ORDER BY position""")
                .bind("id", debateId)
                .map((rs, ctx) -> {
                    double change = rs.getDouble(6);
                    Double priceChange = rs.wasNull() ? null : change;
                    return new StoredOutcome(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4),
                            rs.getString(5), priceChange, rs.getString(7));
                }).list();
        Number userId = (Number) r.get("user_id");
        return Optional.of(new DebateRow((String) r.get("debate_id"), userId == null ? null : userId.longValue(),
                (String) r.get("status"), bool(r.get("paused")), bool(r.get("is_deleted")), (String) r.get("market_id"),
                (String) r.get("market_question"), (String) r.get("market_description"),
                ((Number) r.get("rounds")).intValue(), ((Number) r.get("current_round")).intValue(),
                ((Number) r.get("next_turn")).intValue(), (String) r.get("started_at"), (String) r.get("created_at"),
                models, outcomes));
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return value instanceof Number n && n.intValue() != 0;
    }

    List<String> unfinishedDebates() {
        return jdbi.withHandle(h -> h.createQuery("SELECT debate_id FROM debates WHERE status IN " + ACTIVE_SQL
                        + " AND is_deleted = FALSE ORDER BY created_at")
                .mapTo(String.class).list());
    }

    /** Finished debates whose terminal event was never written (the process died in between). */
    List<Map<String, Object>> finishedWithoutTerminalEvent() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT d.debate_id, d.status, d.stopped_by, d.rounds, d.next_turn, d.created_at,
                               d.completed_at,
                               (SELECT COUNT(*) FROM messages m WHERE m.debate_id = d.debate_id) AS messages,
                               (SELECT COUNT(*) FROM debate_models dm WHERE dm.debate_id = d.debate_id) AS models
                          FROM debates d
                         WHERE d.status IN ('completed', 'stopped', 'failed')
                           AND NOT EXISTS (SELECT 1 FROM debate_events e
                                            WHERE e.debate_id = d.debate_id AND e.is_terminal)""")
                .mapToMap().list());
    }

    // ---- state transitions (conditional, so the job and the control endpoints cannot both win) ----

    void markStarted(Handle h, String debateId, String now) {
        h.createUpdate("UPDATE debates SET status = CASE WHEN status = 'initialized' THEN 'in_progress' ELSE status END, "
                        + "started_at = :now WHERE debate_id = :id")
                .bind("now", now).bind("id", debateId).execute();
    }

    boolean pause(Handle h, String debateId) {
        return h.createUpdate("UPDATE debates SET status = 'paused', paused = TRUE WHERE debate_id = :id "
                        + "AND status IN ('initialized', 'in_progress')")
                .bind("id", debateId).execute() == 1;
    }

    boolean resume(Handle h, String debateId) {
        return h.createUpdate("UPDATE debates SET status = 'in_progress', paused = FALSE WHERE debate_id = :id "
                        + "AND status = 'paused'")
                .bind("id", debateId).execute() == 1;
    }

    boolean stop(Handle h, String debateId, String stoppedBy, String now) {
        return h.createUpdate("UPDATE debates SET status = 'stopped', paused = FALSE, stopped_by = :by, "
                        + "completed_at = :now WHERE debate_id = :id AND status IN " + ACTIVE_SQL)
                .bind("by", stoppedBy).bind("now", now).bind("id", debateId).execute() == 1;
    }

    boolean finish(Handle h, String debateId, String status, String now) {
        return h.createUpdate("UPDATE debates SET status = :status, paused = FALSE, completed_at = :now "
                        + "WHERE debate_id = :id AND status IN " + ACTIVE_SQL)
                .bind("status", status).bind("now", now).bind("id", debateId).execute() == 1;
    }

    Optional<String> stoppedBy(String debateId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT stopped_by FROM debates WHERE debate_id = :id")
                .bind("id", debateId).mapTo(String.class).findOne());
    }

    void softDelete(Handle h, String debateId) {
        h.createUpdate("UPDATE debates SET is_deleted = TRUE WHERE debate_id = :id").bind("id", debateId).execute();
    }

    void setCurrentRound(Handle h, String debateId, int round) {
        h.createUpdate("UPDATE debates SET current_round = :round WHERE debate_id = :id AND current_round < :round")
                .bind("round", round).bind("id", debateId).execute();
    }

    void setNextTurn(Handle h, String debateId, int nextTurn) {
        h.createUpdate("UPDATE debates SET next_turn = :next WHERE debate_id = :id")
                .bind("next", nextTurn).bind("id", debateId).execute();
    }

    // ---- messages ----

    void insertMessage(Handle h, String debateId, MessageView m, int turnIndex, long tokens) {
        h.createUpdate("""
                        INSERT INTO messages (message_id, debate_id, round, sequence, turn_index, model_id, model_name,
                            message_type, text, audio_url, audio_duration, audio_error, tokens_used, timestamp)
                        VALUES (:mid, :id, :round, :seq, :turn, :modelId, :modelName, :type, :text, :audioUrl,
                            :duration, :audioError, :tokens, :ts)""")
                .bind("mid", m.messageId()).bind("id", debateId).bind("round", m.round()).bind("seq", m.sequence())
                .bind("turn", turnIndex).bind("modelId", m.modelId()).bind("modelName", m.modelName())
                .bind("type", m.messageType()).bind("text", m.text()).bind("audioUrl", m.audioUrl())
                .bind("duration", m.audioDuration()).bind("audioError", m.audioError()).bind("tokens", tokens)
                .bind("ts", m.timestamp()).execute();
        int position = 0;
        for (Map.Entry<String, Double> p : m.predictions().entrySet()) {
            h.createUpdate("INSERT INTO message_predictions (message_id, position, outcome_name, percentage) "
                            + "VALUES (:mid, :pos, :name, :pct)")
                    .bind("mid", m.messageId()).bind("pos", position++).bind("name", p.getKey())
                    .bind("pct", p.getValue()).execute();
        }
        h.createUpdate("UPDATE debates SET total_tokens_used = total_tokens_used + :tokens WHERE debate_id = :id")
                .bind("tokens", tokens).bind("id", debateId).execute();
    }

    /** Emitted messages in order, as later prompts quote them. */
    /** The debate's messages with their predictions, in order, as the next prompts quote them: one query. */
    List<ContextMessage> contextMessages(String debateId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT m.message_id, m.model_name, m.text, p.outcome_name, p.percentage
                          FROM messages m
                          LEFT JOIN message_predictions p ON p.message_id = m.message_id
                         WHERE m.debate_id = :id
                         ORDER BY m.sequence, p.position""")
                .bind("id", debateId)
                .<String, ContextMessage>reduceRows((messages, row) -> {
                    ContextMessage message = messages.computeIfAbsent(row.getColumn("message_id", String.class),
                            id -> new ContextMessage(row.getColumn("model_name", String.class),
                                    row.getColumn("text", String.class), new LinkedHashMap<>()));
                    String outcome = row.getColumn("outcome_name", String.class);
                    if (outcome != null) {
                        message.predictions().put(outcome, row.getColumn("percentage", Double.class));
                    }
                })
                .toList());
    }

    int messageCount(Handle h, String debateId) {
        return h.createQuery("SELECT COUNT(*) FROM messages WHERE debate_id = :id")
                .bind("id", debateId).mapTo(Integer.class).one();
    }

    // ---- event log ----

    long appendEvent(Handle h, String debateId, String event, String data, String now, boolean terminal) {
        h.createUpdate("UPDATE debates SET last_event_seq = last_event_seq + 1 WHERE debate_id = :id")
                .bind("id", debateId).execute();
        long seq = h.createQuery("SELECT last_event_seq FROM debates WHERE debate_id = :id")
                .bind("id", debateId).mapTo(Long.class).one();
        h.createUpdate("INSERT INTO debate_events (debate_id, seq, event, data, created_at, is_terminal) "
                        + "VALUES (:id, :seq, :event, :data, :now, :terminal)")
                .bind("id", debateId).bind("seq", seq).bind("event", event).bind("data", data).bind("now", now)
                .bind("terminal", terminal)
                .execute();
        return seq;
    }

    boolean hasTerminalEvent(Handle h, String debateId) {
        return h.createQuery("SELECT COUNT(*) FROM debate_events WHERE debate_id = :id AND is_terminal")
                .bind("id", debateId).mapTo(Integer.class).one() > 0;
    }

    Optional<String> status(Handle h, String debateId) {
        return h.createQuery("SELECT status FROM debates WHERE debate_id = :id AND is_deleted = FALSE")
                .bind("id", debateId).mapTo(String.class).findOne();
    }

    List<StoredEvent> eventsAfter(String debateId, long cursor) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT seq, event, data FROM debate_events WHERE debate_id = :id AND seq > :cursor ORDER BY seq")
                .bind("id", debateId).bind("cursor", cursor)
                .map((rs, ctx) -> new StoredEvent(debateId, rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list());
    }

    Optional<StoredEvent> lastEvent(String debateId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT seq, event, data FROM debate_events WHERE debate_id = :id ORDER BY seq DESC LIMIT 1")
                .bind("id", debateId)
                .map((rs, ctx) -> new StoredEvent(debateId, rs.getLong(1), rs.getString(2), rs.getString(3)))
                .findOne());
    }
}
