package com.polydebate.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Gemini's answer text into a Summary (§12.3, §18.9). The frontend renders these fields without
 * checks, so every value of the wrong type is replaced or dropped here rather than passed on.
 */
final class SummaryParser {
    static final String DEFAULT_OVERALL = "No overall summary was produced.";
    static final String DEFAULT_CONSENSUS = "The models did not reach a clear consensus.";
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z]*\\s*(.*?)```", Pattern.DOTALL);

    private final ObjectMapper mapper;

    SummaryParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The cleaned summary fields (without source/model/generated_at), or empty when no object is found. */
    Optional<ObjectNode> parse(String text) {
        String candidate;
        Matcher fence = FENCE.matcher(text);
        if (fence.find()) {
            candidate = fence.group(1);
        } else {
            int start = text.indexOf('{');
            int end = text.lastIndexOf('}');
            if (start < 0 || end < start) {
                return Optional.empty();
            }
            candidate = text.substring(start, end + 1);
        }
        JsonNode parsed;
        try {
            parsed = mapper.readTree(candidate.trim());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (parsed == null || !parsed.isObject()) {
            return Optional.empty();
        }
        return Optional.of(clean(parsed));
    }

    private ObjectNode clean(JsonNode raw) {
        ObjectNode summary = mapper.createObjectNode();
        summary.put("overall", nonBlankText(raw.get("overall"), DEFAULT_OVERALL));
        ArrayNode agreements = summary.putArray("agreements");
        for (JsonNode item : arrayOrEmpty(raw.get("agreements"))) {
            if (item.isTextual()) {
                agreements.add(item.asText());
            }
        }
        ArrayNode disagreements = summary.putArray("disagreements");
        for (JsonNode item : arrayOrEmpty(raw.get("disagreements"))) {
            if (item.isObject() && item.path("topic").isTextual() && !item.path("topic").asText().isBlank()) {
                ObjectNode clean = disagreements.addObject();
                clean.put("topic", item.path("topic").asText());
                clean.set("positions", positions(item.get("positions")));
            }
        }
        summary.put("consensus", nonBlankText(raw.get("consensus"), DEFAULT_CONSENSUS));
        ArrayNode rationales = summary.putArray("model_rationales");
        for (JsonNode item : arrayOrEmpty(raw.get("model_rationales"))) {
            if (!item.isObject() || !item.path("model").isTextual() || item.path("model").asText().isBlank()) {
                continue;
            }
            ObjectNode clean = rationales.addObject();
            clean.put("model", item.path("model").asText());
            JsonNode prediction = item.get("final_prediction");
            clean.set("final_prediction", prediction != null && prediction.isObject()
                    ? prediction : mapper.createObjectNode());
            JsonNode rationale = item.get("rationale");
            clean.put("rationale", rationale != null && rationale.isTextual() ? rationale.asText() : "");
            ArrayNode arguments = clean.putArray("key_arguments");
            for (JsonNode argument : arrayOrEmpty(item.get("key_arguments"))) {
                if (argument.isTextual()) {
                    arguments.add(argument.asText());
                }
            }
        }
        return summary;
    }

    /** model name → position text; scalar values become text, nested values are dropped. */
    private ObjectNode positions(JsonNode raw) {
        ObjectNode positions = mapper.createObjectNode();
        if (raw == null || !raw.isObject()) {
            return positions;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                positions.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return positions;
    }

    private static String nonBlankText(JsonNode node, String fallback) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : fallback;
    }

    private JsonNode arrayOrEmpty(JsonNode node) {
        return node != null && node.isArray() ? node : mapper.createArrayNode();
    }
}
