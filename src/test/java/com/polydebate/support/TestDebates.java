package com.polydebate.support;

import com.polydebate.db.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds stored debates directly in the database (the rows the engine writes), for tests of features that
 * read debates: results, lists, history, favorites, admin. Example:
 * <pre>
 * String id = TestDebates.debate(server.jdbi(), user.id())
 *     .market("16167", "Will BTC hit 100k?", "Crypto")
 *     .outcome("Yes", 0.45).outcome("No", 0.55)
 *     .model("openai/gpt-4o-mini", "OpenAI: GPT-4o-mini", "OpenAI")
 *     .status("completed").rounds(1)
 *     .message(1, "openai/gpt-4o-mini", "Yes looks likely.", Map.of("Yes", 60.0, "No", 40.0))
 *     .insert();
 * </pre>
 */
public final class TestDebates {
    private final Jdbi jdbi;
    private final Long userId;
    private String debateId = UUID.randomUUID().toString();
    private String marketId = "16167";
    private String question = "Will Bitcoin reach $100k in 2025?";
    private String description = "Resolves Yes if ...";
    private String category = "Crypto";
    private String status = "completed";
    private int rounds = 1;
    private int currentRound = 1;
    private boolean deleted;
    private int totalTokens;
    private Instant createdAt = Instant.parse("2026-11-28T10:00:00Z");
    private Instant completedAt = Instant.parse("2026-11-28T10:03:00Z");
    private final List<Object[]> outcomes = new ArrayList<>();
    private final List<String[]> models = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();

    private record Message(int round, String modelId, String text, Map<String, Double> predictions, String audioUrl,
                           Double audioDuration) {
    }

    private TestDebates(Jdbi jdbi, Long userId) {
        this.jdbi = jdbi;
        this.userId = userId;
    }

    public static TestDebates debate(Jdbi jdbi, Long userId) {
        return new TestDebates(jdbi, userId);
    }

    public TestDebates id(String id) {
        this.debateId = id;
        return this;
    }

    public TestDebates market(String id, String question, String category) {
        this.marketId = id;
        this.question = question;
        this.category = category;
        return this;
    }

    public TestDebates outcome(String name, double price) {
        outcomes.add(new Object[] {name, price, "token-" + outcomes.size()});
        return this;
    }

    /** An outcome with its CLOB token id (the stored slug), as the engine stores a Gamma outcome. */
    public TestDebates outcome(String name, double price, String token) {
        outcomes.add(new Object[] {name, price, token});
        return this;
    }

    public TestDebates model(String modelId, String modelName, String provider) {
        models.add(new String[] {modelId, modelName, provider});
        return this;
    }

    public TestDebates status(String status) {
        this.status = status;
        return this;
    }

    public TestDebates rounds(int rounds) {
        this.rounds = rounds;
        this.currentRound = rounds;
        return this;
    }

    public TestDebates currentRound(int currentRound) {
        this.currentRound = currentRound;
        return this;
    }

    public TestDebates deleted() {
        this.deleted = true;
        return this;
    }

    public TestDebates tokens(int totalTokens) {
        this.totalTokens = totalTokens;
        return this;
    }

    public TestDebates createdAt(String iso) {
        this.createdAt = Instant.parse(iso);
        return this;
    }

    /** Null for a debate that has not finished. */
    public TestDebates completedAt(String iso) {
        this.completedAt = iso == null ? null : Instant.parse(iso);
        return this;
    }

    /** A message of a model already added with {@link #model}; predictions keep their insertion order. */
    public TestDebates message(int round, String modelId, String text, Map<String, Double> predictions) {
        messages.add(new Message(round, modelId, text, new LinkedHashMap<>(predictions), null, null));
        return this;
    }

    /** Predictions in the given order (Map.of has no stable order): name, value, name, value, ... */
    public static Map<String, Double> predictions(Object... pairs) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return map;
    }

    /** Gives the last added message generated audio (instead of the default "not configured" audio error). */
    public TestDebates audio(String audioUrl, double durationSeconds) {
        Message last = messages.remove(messages.size() - 1);
        messages.add(new Message(last.round(), last.modelId(), last.text(), last.predictions(), audioUrl,
                durationSeconds));
        return this;
    }

    /** Inserts everything in one transaction and returns the debate id. */
    public String insert() {
        if (outcomes.isEmpty()) {
            outcome("Yes", 0.45).outcome("No", 0.55);
        }
        if (models.isEmpty()) {
            model("openai/gpt-4o-mini", "OpenAI: GPT-4o-mini", "OpenAI");
        }
        StringBuilder odds = new StringBuilder("{");
        for (Object[] outcome : outcomes) {
            if (odds.length() > 1) {
                odds.append(',');
            }
            odds.append('"').append(outcome[0]).append("\":").append((int) ((double) outcome[1] * 100 + 1e-9));
        }
        odds.append('}');
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO debates (debate_id, user_id, status, paused, is_deleted, market_id,
                                market_question, market_description, market_category, polymarket_odds, rounds,
                                current_round, next_turn, total_tokens_used, created_at, completed_at)
                            VALUES (:id, :userId, :status, :paused, :deleted, :marketId, :question, :description,
                                :category, :odds, :rounds, :currentRound, :nextTurn, :tokens, :createdAt,
                                :completedAt)""")
                    .bind("id", debateId).bind("userId", userId).bind("status", status)
                    .bind("paused", status.equals("paused")).bind("deleted", deleted)
                    .bind("marketId", marketId).bind("question", question).bind("description", description)
                    .bind("category", category).bind("odds", odds.toString()).bind("rounds", rounds)
                    .bind("currentRound", currentRound).bind("nextTurn", messages.size())
                    .bind("tokens", totalTokens).bind("createdAt", Timestamps.format(createdAt))
                    .bind("completedAt", completedAt == null ? null : Timestamps.format(completedAt))
                    .execute();
            for (int i = 0; i < models.size(); i++) {
                h.createUpdate("INSERT INTO debate_models (debate_id, position, model_id, model_name, provider) "
                                + "VALUES (:id, :pos, :modelId, :name, :provider)")
                        .bind("id", debateId).bind("pos", i).bind("modelId", models.get(i)[0])
                        .bind("name", models.get(i)[1]).bind("provider", models.get(i)[2]).execute();
            }
            for (int i = 0; i < outcomes.size(); i++) {
                h.createUpdate("INSERT INTO debate_outcomes (debate_id, position, name, slug, price, shares) "
                                + "VALUES (:id, :pos, :name, :slug, :price, :shares)")
                        .bind("id", debateId).bind("pos", i).bind("name", (String) outcomes.get(i)[0])
                        .bind("slug", (String) outcomes.get(i)[2]).bind("price", (double) outcomes.get(i)[1])
                        .bind("shares", "1000").execute();
            }
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                String modelName = models.stream().filter(x -> x[0].equals(m.modelId())).findFirst()
                        .map(x -> x[1]).orElse(m.modelId());
                String messageId = UUID.randomUUID().toString();
                String type = m.round() == 1 ? "initial" : m.round() == rounds ? "final" : "debate";
                h.createUpdate("""
                                INSERT INTO messages (message_id, debate_id, round, sequence, turn_index, model_id,
                                    model_name, message_type, text, audio_url, audio_duration, audio_error,
                                    tokens_used, timestamp)
                                VALUES (:mid, :id, :round, :seq, :turn, :modelId, :modelName, :type, :text,
                                    :audioUrl, :audioDuration, :audioError, 0, :ts)""")
                        .bind("mid", messageId).bind("id", debateId).bind("round", m.round())
                        .bind("seq", i + 1).bind("turn", i).bind("modelId", m.modelId())
                        .bind("modelName", modelName).bind("type", type).bind("text", m.text())
                        .bind("audioUrl", m.audioUrl()).bind("audioDuration", m.audioDuration())
                        .bind("audioError", m.audioUrl() == null ? "Text-to-speech is not configured" : null)
                        .bind("ts", Timestamps.format(createdAt.plusSeconds(10L * (i + 1)))).execute();
                int position = 0;
                for (Map.Entry<String, Double> p : m.predictions().entrySet()) {
                    h.createUpdate("INSERT INTO message_predictions (message_id, position, outcome_name, percentage) "
                                    + "VALUES (:mid, :pos, :name, :pct)")
                            .bind("mid", messageId).bind("pos", position++).bind("name", p.getKey())
                            .bind("pct", p.getValue()).execute();
                }
            }
        });
        return debateId;
    }
}
