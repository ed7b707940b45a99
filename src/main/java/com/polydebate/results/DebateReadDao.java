package com.polydebate.results;

import com.polydebate.debates.MessageView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads debates. A whole debate costs five statements whatever its size: the row, its models, its outcomes,
 * its messages and all their predictions (one join), so reads do not grow with the message count.
 */
final class DebateReadDao {
    private static final String ROW_COLUMNS = """
            debate_id, user_id, status, paused, market_id, market_question, market_description, market_category,
            polymarket_odds, rounds, current_round, final_summary, final_predictions, created_at, completed_at""";

    private final Jdbi jdbi;

    DebateReadDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The visible (not soft-deleted) debate with all its parts. */
    Optional<StoredDebate> load(String debateId) {
        return jdbi.withHandle(h -> {
            Optional<StoredDebate.Row> row = h.createQuery("SELECT " + ROW_COLUMNS
                            + " FROM debates WHERE debate_id = :id AND is_deleted = FALSE")
                    .bind("id", debateId)
                    .map((rs, ctx) -> row(rs))
                    .findOne();
            if (row.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new StoredDebate(row.get(), models(h, debateId), outcomes(h, debateId),
                    messages(h, debateId)));
        });
    }

    /**
     * What the debate document depends on that can change after creation, in one statement: the status
     * fields, the stored results and aggregates over the messages and their predictions (which the engine only ever
     * appends).
     * Empty when the debate is unknown or soft-deleted.
     */
    Optional<String> version(String debateId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT d.status, d.paused, d.current_round, d.completed_at, d.summary_status,
                            LENGTH(d.final_summary), LENGTH(d.final_predictions),
                            (SELECT COUNT(*) FROM messages m WHERE m.debate_id = d.debate_id),
                            (SELECT MAX(m.sequence) FROM messages m WHERE m.debate_id = d.debate_id),
                            (SELECT SUM(LENGTH(m.text) + LENGTH(COALESCE(m.audio_url, ''))
                                    + LENGTH(COALESCE(m.audio_error, '')) + COALESCE(m.audio_duration, 0))
                             FROM messages m WHERE m.debate_id = d.debate_id),
                            (SELECT COUNT(*) FROM message_predictions p JOIN messages m ON m.message_id = p.message_id
                             WHERE m.debate_id = d.debate_id)
                        FROM debates d WHERE d.debate_id = :id AND d.is_deleted = FALSE""")
                .bind("id", debateId)
                .map((rs, ctx) -> {
                    StringBuilder version = new StringBuilder();
                    for (int i = 1; i <= 11; i++) {
                        version.append(rs.getString(i)).append('|');
                    }
                    return version.toString();
                })
                .findOne());
    }

    private static List<StoredDebate.Model> models(Handle h, String debateId) {
        return h.createQuery("SELECT model_id, model_name, provider FROM debate_models WHERE debate_id = :id "
                        + "ORDER BY position")
                .bind("id", debateId)
                .map((rs, ctx) -> new StoredDebate.Model(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    private static List<StoredDebate.StoredOutcome> outcomes(Handle h, String debateId) {
        return h.createQuery("SELECT name, slug, price, shares, volume, price_change_24h, image_url "
                        + "FROM debate_outcomes WHERE debate_id = :id ORDER BY position")
                .bind("id", debateId)
                .map((rs, ctx) -> new StoredDebate.StoredOutcome(rs.getString(1), rs.getString(2), rs.getDouble(3),
                        rs.getString(4), rs.getString(5), nullableDouble(rs, 6), rs.getString(7)))
                .list();
    }

    private static List<MessageView> messages(Handle h, String debateId) {
        Map<String, Map<String, Double>> predictions = new HashMap<>();
        h.createQuery("""
                        SELECT p.message_id, p.outcome_name, p.percentage
                        FROM message_predictions p JOIN messages m ON m.message_id = p.message_id
                        WHERE m.debate_id = :id ORDER BY p.message_id, p.position""")
                .bind("id", debateId)
                .map((rs, ctx) -> {
                    predictions.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getDouble(3));
                    return 0;
                })
                .list();
        return h.createQuery("""
                        SELECT message_id, round, sequence, model_id, model_name, message_type, text, audio_url,
                            audio_duration, audio_error, timestamp
                        FROM messages WHERE debate_id = :id ORDER BY sequence""")
                .bind("id", debateId)
                .map((rs, ctx) -> new MessageView(rs.getString(1), rs.getInt(2), rs.getInt(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        predictions.getOrDefault(rs.getString(1), Map.of()), rs.getString(8),
                        nullableDouble(rs, 9), rs.getString(10), rs.getString(11)))
                .list();
    }

    /** A page of visible debates, newest first, with the total number of matches. */
    ListPage list(Optional<String> status, Optional<String> marketId, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE is_deleted = FALSE");
        status.ifPresent(s -> where.append(" AND status = :status"));
        marketId.ifPresent(m -> where.append(" AND market_id = :marketId"));
        return jdbi.withHandle(h -> {
            var count = h.createQuery("SELECT COUNT(*) FROM debates" + where);
            status.ifPresent(s -> count.bind("status", s));
            marketId.ifPresent(m -> count.bind("marketId", m));
            long total = count.mapTo(Long.class).one();
            var page = h.createQuery("SELECT " + ROW_COLUMNS + ", "
                    + "(SELECT COUNT(*) FROM messages m WHERE m.debate_id = debates.debate_id) AS total_messages "
                    + "FROM debates" + where + " ORDER BY created_at DESC, debate_id DESC LIMIT :limit OFFSET :offset");
            status.ifPresent(s -> page.bind("status", s));
            marketId.ifPresent(m -> page.bind("marketId", m));
            List<ListRow> rows = page.bind("limit", limit).bind("offset", offset)
                    .map((rs, ctx) -> new ListRow(row(rs), rs.getInt("total_messages")))
                    .list();
            List<String> ids = rows.stream().map(r -> r.row().debateId()).toList();
            return new ListPage(rows, total, pageModels(h, ids), pageOutcomeNames(h, ids),
                    pagePredictions(h, rows));
        });
    }

    /** The question of the newest visible debate on a market, for when the market itself cannot be fetched. */
    Optional<String> newestQuestion(String marketId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT market_question FROM debates WHERE market_id = :m "
                        + "AND is_deleted = FALSE ORDER BY created_at DESC, debate_id DESC LIMIT 1")
                .bind("m", marketId).mapTo(String.class).findOne());
    }

    record ListRow(StoredDebate.Row row, int totalMessages) {
    }

    /**
     * One page of the list. {@code predictions}: per debate that has no stored final predictions, its
     * messages that carry predictions, in order, to compute them.
     */
    record ListPage(List<ListRow> rows, long total, Map<String, List<StoredDebate.Model>> models,
                    Map<String, List<String>> outcomeNames, Map<String, List<MessageView>> predictions) {
    }

    private static Map<String, List<StoredDebate.Model>> pageModels(Handle h, Collection<String> ids) {
        Map<String, List<StoredDebate.Model>> models = new HashMap<>();
        if (ids.isEmpty()) {
            return models;
        }
        h.createQuery("SELECT debate_id, model_id, model_name, provider FROM debate_models "
                        + "WHERE debate_id IN (<ids>) ORDER BY debate_id, position")
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> models.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new StoredDebate.Model(rs.getString(2), rs.getString(3), rs.getString(4))))
                .list();
        return models;
    }

    private static Map<String, List<String>> pageOutcomeNames(Handle h, Collection<String> ids) {
        Map<String, List<String>> names = new HashMap<>();
        if (ids.isEmpty()) {
            return names;
        }
        h.createQuery("SELECT debate_id, name FROM debate_outcomes WHERE debate_id IN (<ids>) "
                        + "ORDER BY debate_id, position")
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> names.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)))
                .list();
        return names;
    }

    private static Map<String, List<MessageView>> pagePredictions(Handle h, List<ListRow> rows) {
        List<String> ids = rows.stream().filter(r -> r.row().finalPredictions() == null)
                .map(r -> r.row().debateId()).toList();
        Map<String, List<MessageView>> byDebate = new HashMap<>();
        if (ids.isEmpty()) {
            return byDebate;
        }
        Map<String, MessageView> byId = new LinkedHashMap<>();
        Map<String, String> debateOf = new HashMap<>();
        h.createQuery("""
                        SELECT m.debate_id, m.message_id, m.model_id, m.model_name, m.round, m.sequence,
                            p.outcome_name, p.percentage
                        FROM messages m JOIN message_predictions p ON p.message_id = m.message_id
                        WHERE m.debate_id IN (<ids>) ORDER BY m.debate_id, m.sequence, p.position""")
                .bindList("ids", ids)
                .map((rs, ctx) -> {
                    String debateId = rs.getString(1);
                    String messageId = rs.getString(2);
                    String modelId = rs.getString(3);
                    String modelName = rs.getString(4);
                    int round = rs.getInt(5);
                    int sequence = rs.getInt(6);
                    debateOf.put(messageId, debateId);
                    byId.computeIfAbsent(messageId, k -> new MessageView(messageId, round, sequence, modelId,
                                    modelName, null, null, new LinkedHashMap<>(), null, null, null, null))
                            .predictions().put(rs.getString(7), rs.getDouble(8));
                    return 0;
                })
                .list();
        byId.forEach((messageId, message) ->
                byDebate.computeIfAbsent(debateOf.get(messageId), k -> new ArrayList<>()).add(message));
        return byDebate;
    }

    private static StoredDebate.Row row(ResultSet rs) throws SQLException {
        long userId = rs.getLong("user_id");
        Long user = rs.wasNull() ? null : userId;
        return new StoredDebate.Row(rs.getString("debate_id"), user, rs.getString("status"),
                rs.getBoolean("paused"), rs.getString("market_id"), rs.getString("market_question"),
                rs.getString("market_description"), rs.getString("market_category"), rs.getString("polymarket_odds"),
                rs.getInt("rounds"), rs.getInt("current_round"), rs.getString("final_summary"),
                rs.getString("final_predictions"), rs.getString("created_at"), rs.getString("completed_at"));
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
