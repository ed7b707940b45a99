package com.polydebate.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.debates.MessageView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The JSON shapes of §9.2 / §18.6–18.8 and the transcript of §9.9, built from stored debates. */
final class DebateDocuments {
    private DebateDocuments() {
    }

    /** The full debate: the original's flat fields plus the nested {@code market}/{@code models} aliases. */
    static Map<String, Object> debate(StoredDebate debate, Function<String, JsonNode> json) {
        StoredDebate.Row row = debate.row();
        boolean finished = !row.isRunning();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("debate_id", row.debateId());
        body.put("status", row.status());
        body.put("paused", row.paused());
        body.put("user_id", row.userId());
        body.put("market_id", row.marketId());
        body.put("market_question", row.marketQuestion());
        body.put("market_description", row.marketDescription() == null ? "" : row.marketDescription());
        body.put("market_category", row.marketCategory());
        body.put("outcomes", debate.outcomes().stream().map(DebateDocuments::outcome).toList());
        body.put("polymarket_odds", json.apply(row.polymarketOdds()));
        List<Map<String, Object>> models = debate.models().stream().map(DebateDocuments::model).toList();
        body.put("selected_models", models);
        body.put("models", models);
        body.put("market", marketAlias(debate));
        body.put("rounds", row.rounds());
        body.put("independent_first_round", row.independentFirstRound());
        body.put("current_round", row.currentRound());
        body.put("messages_count", debate.messages().size());
        body.put("messages", debate.messages().stream().map(m -> message(m, true)).toList());
        body.put("final_summary", finished && row.finalSummary() != null ? json.apply(row.finalSummary()) : null);
        body.put("final_predictions",
                finished && row.finalPredictions() != null ? json.apply(row.finalPredictions()) : null);
        body.put("created_at", row.createdAt());
        body.put("completed_at", row.completedAt());
        return body;
    }

    static Map<String, Object> marketAlias(StoredDebate debate) {
        Map<String, Object> market = new LinkedHashMap<>();
        market.put("id", debate.row().marketId());
        market.put("question", debate.row().marketQuestion());
        List<Map<String, Object>> outcomes = new ArrayList<>();
        for (StoredDebate.StoredOutcome outcome : debate.outcomes()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", outcome.name());
            item.put("price", outcome.price());
            outcomes.add(item);
        }
        market.put("outcomes", outcomes);
        return market;
    }

    /** §18.2: slug absent for legacy rows, shares "0" when unknown, optional fields omitted rather than null. */
    private static Map<String, Object> outcome(StoredDebate.StoredOutcome outcome) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", outcome.name());
        if (outcome.slug() != null) {
            item.put("slug", outcome.slug());
        }
        item.put("price", outcome.price());
        item.put("shares", outcome.shares() == null ? "0" : outcome.shares());
        if (outcome.priceChange24h() != null) {
            item.put("price_change_24h", outcome.priceChange24h());
        }
        if (outcome.imageUrl() != null) {
            item.put("image_url", outcome.imageUrl());
        }
        return item;
    }

    private static Map<String, Object> model(StoredDebate.Model model) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("model_id", model.modelId());
        item.put("model_name", model.modelName());
        item.put("provider", model.provider());
        return item;
    }

    /** The §18.7 record itself; the transcript without audio (§9.9) is the same fields minus the three audio ones. */
    static Object message(MessageView message, boolean withAudio) {
        if (withAudio) {
            return message;
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("message_id", message.messageId());
        item.put("round", message.round());
        item.put("sequence", message.sequence());
        item.put("model_id", message.modelId());
        item.put("model_name", message.modelName());
        item.put("message_type", message.messageType());
        item.put("text", message.text());
        item.put("predictions", message.predictions());
        item.put("timestamp", message.timestamp());
        return item;
    }

    static Map<String, Object> transcript(StoredDebate debate, boolean includeAudio) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("debate_id", debate.row().debateId());
        body.put("market_question", debate.row().marketQuestion());
        body.put("status", debate.row().status());
        body.put("created_at", debate.row().createdAt());
        body.put("completed_at", debate.row().completedAt());
        body.put("messages", debate.messages().stream().map(m -> message(m, includeAudio)).toList());
        return body;
    }

    /** §18.8, plus {@code average_prediction} when at least one model gave a forecast. */
    static Map<String, Object> listItem(DebateReadDao.ListRow listRow, List<StoredDebate.Model> models,
                                        Map<String, Integer> averagePrediction) {
        StoredDebate.Row row = listRow.row();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("debate_id", row.debateId());
        item.put("market_id", row.marketId());
        item.put("market_question", row.marketQuestion());
        item.put("market_category", row.marketCategory());
        item.put("status", row.status());
        item.put("rounds", row.rounds());
        item.put("current_round", row.currentRound());
        item.put("models_count", models.size());
        item.put("models", models.stream().map(DebateDocuments::model).toList());
        item.put("total_messages", listRow.totalMessages());
        item.put("created_at", row.createdAt());
        item.put("completed_at", row.completedAt());
        item.put("duration_seconds", row.durationSeconds().orElse(null));
        if (!averagePrediction.isEmpty()) {
            item.put("average_prediction", averagePrediction);
        }
        return item;
    }
}
