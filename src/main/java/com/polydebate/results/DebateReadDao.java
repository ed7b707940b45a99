package com.polydebate.results;

import com.polydebate.debates.MessageView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.Nested;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.locator.UseClasspathSqlLocator;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Reads debates. A whole debate costs five statements whatever its size: the row, its models, its outcomes,
 * its messages and all their predictions (one join), so reads do not grow with the message count.
 */
@RegisterConstructorMapper(StoredDebate.Row.class)
@RegisterConstructorMapper(StoredDebate.Model.class)
@RegisterConstructorMapper(StoredDebate.StoredOutcome.class)
@RegisterConstructorMapper(DebateReadDao.MessageRow.class)
@RegisterConstructorMapper(DebateReadDao.PredictionRow.class)
@RegisterConstructorMapper(DebateReadDao.Version.class)
@RegisterConstructorMapper(DebateReadDao.ListRow.class)
@RegisterConstructorMapper(DebateReadDao.PageModel.class)
@RegisterConstructorMapper(DebateReadDao.PageOutcome.class)
@RegisterConstructorMapper(DebateReadDao.PagePrediction.class)
interface DebateReadDao {

    /**
     * What the debate document depends on that can change after creation: the status fields, the stored results
     * and aggregates over the messages and their predictions (which the engine only ever appends).
     */
    record Version(String status, boolean paused, int currentRound, String completedAt, String summaryStatus,
                   Long summaryLength, Long predictionsLength, long messages, Integer lastSequence,
                   Double messageContent, long predictions) {
    }

    record ListRow(@Nested StoredDebate.Row row, int totalMessages) {
    }

    /**
     * One page of the list. {@code predictions}: per debate that has no stored final predictions, its
     * messages that carry predictions, in order, to compute them.
     */
    record ListPage(List<ListRow> rows, long total, Map<String, List<StoredDebate.Model>> models,
                    Map<String, List<String>> outcomeNames, Map<String, List<MessageView>> predictions) {
    }

    record MessageRow(String messageId, int round, int sequence, String modelId, String modelName,
                      String messageType, String text, String audioUrl, Double audioDuration, String audioError,
                      String timestamp) {
        MessageView with(Map<String, Double> predictions) {
            return new MessageView(messageId, round, sequence, modelId, modelName, messageType, text, predictions,
                    audioUrl, audioDuration, audioError, timestamp);
        }
    }

    record PredictionRow(String messageId, String outcomeName, double percentage) {
    }

    record PageModel(String debateId, @Nested StoredDebate.Model model) {
    }

    record PageOutcome(String debateId, String name) {
    }

    record PagePrediction(String debateId, String messageId, String modelId, String modelName, int round,
                          int sequence, String outcomeName, double percentage) {
    }

    /** The visible (not soft-deleted) debate with all its parts. */
    default Optional<StoredDebate> load(String debateId) {
        return row(debateId).map(row -> new StoredDebate(row, models(debateId), outcomes(debateId),
                messages(debateId)));
    }

    @SqlQuery
    @UseClasspathSqlLocator
    Optional<StoredDebate.Row> row(String debateId);

    @SqlQuery("SELECT model_id, model_name, provider FROM debate_models WHERE debate_id = :debateId ORDER BY position")
    List<StoredDebate.Model> models(String debateId);

    @SqlQuery("SELECT name, slug, price, shares, volume, price_change_24h, image_url "
            + "FROM debate_outcomes WHERE debate_id = :debateId ORDER BY position")
    List<StoredDebate.StoredOutcome> outcomes(String debateId);

    private List<MessageView> messages(String debateId) {
        Map<String, Map<String, Double>> predictions = new HashMap<>();
        for (PredictionRow p : predictionRows(debateId)) {
            predictions.computeIfAbsent(p.messageId(), k -> new LinkedHashMap<>()).put(p.outcomeName(), p.percentage());
        }
        return messageRows(debateId).stream()
                .map(m -> m.with(predictions.getOrDefault(m.messageId(), Map.of())))
                .toList();
    }

    @SqlQuery
    @UseClasspathSqlLocator
    List<PredictionRow> predictionRows(String debateId);

    @SqlQuery
    @UseClasspathSqlLocator
    List<MessageRow> messageRows(String debateId);

    /** The debate's {@link Version} in one statement; empty when the debate is unknown or soft-deleted. */
    @SqlQuery
    @UseClasspathSqlLocator
    Optional<Version> version(String debateId);

    /** A page of visible debates, newest first, with the total number of matches. */
    default ListPage list(Optional<String> status, Optional<String> marketId, int limit, int offset) {
        long total = marketId.isPresent() ? marketCount(status, marketId.get()) : count(status);
        List<ListRow> rows = marketId.isPresent() ? marketPage(status, marketId.get(), limit, offset)
                : page(status, limit, offset);
        List<String> ids = rows.stream().map(r -> r.row().debateId()).toList();
        List<String> withoutFinals = rows.stream().filter(r -> r.row().finalPredictions() == null)
                .map(r -> r.row().debateId()).toList();
        return new ListPage(rows, total, pageModels(ids), pageOutcomeNames(ids), pagePredictions(withoutFinals));
    }

    // Listing all debates and one market's debates are two statements, so that each keeps its own index.

    @SqlQuery("SELECT COUNT(*) FROM debates WHERE is_deleted = FALSE "
            + "AND (CAST(:status AS TEXT) IS NULL OR status = :status)")
    long count(Optional<String> status);

    @SqlQuery("SELECT COUNT(*) FROM debates WHERE is_deleted = FALSE AND market_id = :marketId "
            + "AND (CAST(:status AS TEXT) IS NULL OR status = :status)")
    long marketCount(Optional<String> status, String marketId);

    @SqlQuery
    @UseClasspathSqlLocator
    List<ListRow> page(Optional<String> status, int limit, int offset);

    @SqlQuery
    @UseClasspathSqlLocator
    List<ListRow> marketPage(Optional<String> status, String marketId, int limit, int offset);

    private Map<String, List<StoredDebate.Model>> pageModels(List<String> ids) {
        Map<String, List<StoredDebate.Model>> models = new HashMap<>();
        if (!ids.isEmpty()) {
            for (PageModel m : pageModelRows(ids)) {
                models.computeIfAbsent(m.debateId(), k -> new ArrayList<>()).add(m.model());
            }
        }
        return models;
    }

    @SqlQuery("SELECT debate_id, model_id, model_name, provider FROM debate_models "
            + "WHERE debate_id IN (<ids>) ORDER BY debate_id, position")
    List<PageModel> pageModelRows(@BindList List<String> ids);

    private Map<String, List<String>> pageOutcomeNames(List<String> ids) {
        Map<String, List<String>> names = new HashMap<>();
        if (!ids.isEmpty()) {
            for (PageOutcome o : pageOutcomeRows(ids)) {
                names.computeIfAbsent(o.debateId(), k -> new ArrayList<>()).add(o.name());
            }
        }
        return names;
    }

    @SqlQuery("SELECT debate_id, name FROM debate_outcomes WHERE debate_id IN (<ids>) ORDER BY debate_id, position")
    List<PageOutcome> pageOutcomeRows(@BindList List<String> ids);

    private Map<String, List<MessageView>> pagePredictions(List<String> ids) {
        Map<String, List<MessageView>> byDebate = new HashMap<>();
        if (ids.isEmpty()) {
            return byDebate;
        }
        Map<String, MessageView> byId = new LinkedHashMap<>();
        Map<String, String> debateOf = new HashMap<>();
        for (PagePrediction p : pagePredictionRows(ids)) {
            debateOf.put(p.messageId(), p.debateId());
            byId.computeIfAbsent(p.messageId(), id -> new MessageView(id, p.round(), p.sequence(), p.modelId(),
                            p.modelName(), null, null, new LinkedHashMap<>(), null, null, null, null))
                    .predictions().put(p.outcomeName(), p.percentage());
        }
        byId.forEach((messageId, message) ->
                byDebate.computeIfAbsent(debateOf.get(messageId), k -> new ArrayList<>()).add(message));
        return byDebate;
    }

    @SqlQuery
    @UseClasspathSqlLocator
    List<PagePrediction> pagePredictionRows(@BindList List<String> ids);

    /** The question of the newest visible debate on a market, for when the market itself cannot be fetched. */
    @SqlQuery("SELECT market_question FROM debates WHERE market_id = :marketId AND is_deleted = FALSE "
            + "ORDER BY created_at DESC, debate_id DESC LIMIT 1")
    Optional<String> newestQuestion(String marketId);
}
