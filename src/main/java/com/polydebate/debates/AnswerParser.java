package com.polydebate.debates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {argument, predictions} out of a model's answer with the fallbacks of §11.6. */
final class AnswerParser {
    private static final Pattern FENCE = Pattern.compile("```[a-zA-Z]*\\s*([\\s\\S]*?)```");
    private static final Pattern ARGUMENT = Pattern.compile("\"argument\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)");
    private static final Pattern PREDICTIONS = Pattern.compile("\"predictions\"\\s*:\\s*(\\{[^{}]*\\})");

    /** Which step of §11.6 read the answer, for the trace. */
    static final String JSON = "json";
    static final String FENCED = "fenced_block";
    static final String BRACES = "balanced_braces";
    static final String SALVAGED = "salvaged_argument";
    static final String PLAIN = "plain_text";

    /** The parsed answer; {@code predictions} is always an object (possibly empty). */
    record Answer(String argument, ObjectNode predictions, String fallback) {
    }

    private final ObjectMapper mapper;

    AnswerParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Answer parse(String content) {
        Optional<JsonNode> object = parseObject(content.strip());
        String fallback = JSON;
        if (object.isEmpty()) {
            Matcher fence = FENCE.matcher(content);
            if (fence.find()) {
                String inner = fence.group(1).strip();
                object = parseObject(inner).or(() -> balancedObject(inner));
                fallback = FENCED;
            }
        }
        if (object.isEmpty()) {
            object = balancedObject(content);
            fallback = BRACES;
        }
        if (object.isPresent()) {
            return fromObject(object.get(), content, fallback);
        }
        Matcher argument = ARGUMENT.matcher(content);
        if (argument.find()) {
            Matcher predictions = PREDICTIONS.matcher(content);
            ObjectNode parsed = predictions.find()
                    ? parseObject(predictions.group(1)).map(n -> (ObjectNode) n).orElse(mapper.createObjectNode())
                    : mapper.createObjectNode();
            return new Answer(unescape(argument.group(1)), parsed, SALVAGED);
        }
        return new Answer(content, mapper.createObjectNode(), PLAIN);
    }

    private Answer fromObject(JsonNode node, String content, String fallback) {
        JsonNode argument = node.get("argument");
        String text;
        if (argument == null || argument.isNull()) {
            text = content;
        } else {
            text = argument.isTextual() ? argument.asText() : argument.toString();
        }
        JsonNode predictions = node.get("predictions");
        ObjectNode object = predictions != null && predictions.isObject()
                ? (ObjectNode) predictions : mapper.createObjectNode();
        return new Answer(text, object, fallback);
    }

    private Optional<JsonNode> parseObject(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The slice from the first '{' to its matching '}', counting depth outside string literals. */
    private Optional<JsonNode> balancedObject(String text) {
        int start = text.indexOf('{');
        if (start < 0) {
            return Optional.empty();
        }
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return parseObject(text.substring(start, i + 1));
                }
            }
        }
        return Optional.empty();
    }

    private String unescape(String jsonStringBody) {
        try {
            return mapper.readValue("\"" + jsonStringBody + "\"", String.class);
        } catch (Exception e) {
            return jsonStringBody.replace("\\\"", "\"").replace("\\n", " ");
        }
    }
}
