package com.polydebate.debates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.config.Config;
import com.polydebate.http.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /api/debate/start} (§9.1), valid in every field. {@code independent_first_round}
 * (issue 14) defaults to {@code INDEPENDENT_FIRST_ROUND}.
 */
record StartRequest(String marketId, List<String> modelIds, int rounds, boolean independentFirstRound) {
    static final int DEFAULT_ROUNDS = 3;
    static final int MAX_MARKET_ID_LENGTH = 100;

    /** Step 3 of §9.1: every failing field at once. No message here may contain "daily" or "limit" (§22.10). */
    static StartRequest from(ObjectNode body, Config config) {
        Map<String, String> problems = new LinkedHashMap<>();
        String marketId = marketId(body.get("market_id"), problems);
        List<String> modelIds = modelIds(body.get("model_ids"), config.maxModelsPerDebate(), problems);
        int rounds = rounds(body.get("rounds"), config.maxRounds(), problems);
        boolean independent = independentFirstRound(body.get("independent_first_round"),
                config.independentFirstRound(), problems);
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return new StartRequest(marketId, List.copyOf(modelIds), rounds, independent);
    }

    /** Gamma ids are decimal, so a client may send the id as a JSON number. */
    private static String marketId(JsonNode node, Map<String, String> problems) {
        if (node == null || node.isNull()) {
            problems.put("market_id", "is required");
            return null;
        }
        if (!node.isTextual() && !node.isNumber()) {
            problems.put("market_id", "must be a string");
            return null;
        }
        String marketId = node.isTextual() ? node.asText().strip()
                : node.decimalValue().stripTrailingZeros().toPlainString();
        if (marketId.isEmpty()) {
            problems.put("market_id", "must not be empty");
        } else if (marketId.length() > MAX_MARKET_ID_LENGTH) {
            problems.put("market_id", "must be at most " + MAX_MARKET_ID_LENGTH + " characters");
        }
        return marketId;
    }

    private static List<String> modelIds(JsonNode node, int maxModels, Map<String, String> problems) {
        List<String> modelIds = new ArrayList<>();
        String countRule = "must contain 1 to " + maxModels + " model ids";
        if (node == null || node.isNull()) {
            problems.put("model_ids", "is required and " + countRule);
        } else if (!node.isArray()) {
            problems.put("model_ids", "must be an array of model ids");
        } else if (node.isEmpty() || node.size() > maxModels) {
            problems.put("model_ids", countRule);
        } else {
            Set<String> seen = new HashSet<>();
            for (JsonNode id : node) {
                if (!id.isTextual() || id.asText().isBlank()) {
                    problems.put("model_ids", "every entry must be a non-empty string");
                    break;
                }
                if (!seen.add(id.asText().strip())) {
                    problems.put("model_ids", "must not contain duplicates");
                    break;
                }
                modelIds.add(id.asText().strip());
            }
        }
        return modelIds;
    }

    private static int rounds(JsonNode node, int maxRounds, Map<String, String> problems) {
        if (node == null || node.isNull()) {
            return DEFAULT_ROUNDS;
        }
        // A client may write 2 as 2.0: any number with an exact integer value counts.
        if (node.isNumber() && (node.isIntegralNumber() || node.canConvertToExactIntegral())
                && node.decimalValue().compareTo(BigDecimal.ONE) >= 0
                && node.decimalValue().compareTo(BigDecimal.valueOf(maxRounds)) <= 0) {
            return node.intValue();
        }
        problems.put("rounds", "must be an integer between 1 and " + maxRounds);
        return DEFAULT_ROUNDS;
    }

    /** A JSON boolean only: "true", 1 or any other stand-in is refused rather than guessed at. */
    private static boolean independentFirstRound(JsonNode node, boolean fallback, Map<String, String> problems) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            problems.put("independent_first_round", "must be true or false");
            return fallback;
        }
        return node.booleanValue();
    }
}
