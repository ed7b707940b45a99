package com.polydebate.results;

import com.polydebate.debates.MessageView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** In-memory stored debates for the pure-logic tests. */
final class Debates {
    private final List<StoredDebate.Model> models = new ArrayList<>();
    private final List<StoredDebate.StoredOutcome> outcomes = new ArrayList<>();
    private final List<MessageView> messages = new ArrayList<>();
    private String status = "completed";
    private String createdAt = "2026-11-28T10:00:00.000Z";
    private String completedAt = "2026-11-28T10:03:00.000Z";

    static Debates debate() {
        return new Debates();
    }

    Debates outcome(String name, double price) {
        outcomes.add(new StoredDebate.StoredOutcome(name, "slug-" + name, price, "1000", null, null, null));
        return this;
    }

    Debates model(String id, String name) {
        models.add(new StoredDebate.Model(id, name, "Provider"));
        return this;
    }

    Debates status(String status, String completedAt) {
        this.status = status;
        this.completedAt = completedAt;
        return this;
    }

    /** Predictions as alternating name, value pairs. */
    Debates message(int round, String modelId, String text, Object... predictions) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < predictions.length; i += 2) {
            map.put((String) predictions[i], ((Number) predictions[i + 1]).doubleValue());
        }
        String name = models.stream().filter(m -> m.modelId().equals(modelId)).findFirst()
                .map(StoredDebate.Model::modelName).orElse(modelId);
        int sequence = messages.size() + 1;
        messages.add(new MessageView("m" + sequence, round, sequence, modelId, name,
                round == 1 ? "initial" : "debate", text, map, null, null, null, createdAt));
        return this;
    }

    StoredDebate build() {
        StringBuilder odds = new StringBuilder("{");
        for (StoredDebate.StoredOutcome o : outcomes) {
            odds.append(odds.length() > 1 ? "," : "").append('"').append(o.name()).append("\":")
                    .append((int) (o.price() * 100 + 1e-9));
        }
        odds.append('}');
        StoredDebate.Row row = new StoredDebate.Row("d1", 1L, status, false, "16167", "Will it happen?", "desc",
                "Crypto", odds.toString(), 3, true, 3, null, null, createdAt, completedAt);
        return new StoredDebate(row, models, outcomes, messages);
    }

    static Map<String, Integer> odds(StoredDebate debate) {
        Map<String, Integer> odds = new LinkedHashMap<>();
        for (StoredDebate.StoredOutcome o : debate.outcomes()) {
            odds.put(o.name(), (int) (o.price() * 100 + 1e-9));
        }
        return odds;
    }
}
