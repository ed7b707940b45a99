package com.polydebate.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.Config;
import com.polydebate.http.ApiException;
import com.polydebate.upstream.UpstreamException;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OpenRouter {@code GET /models} (§8.2 rule 1). Failures become 503 with a fixed message. */
final class OpenRouterModelsClient {
    private static final Logger log = LoggerFactory.getLogger(OpenRouterModelsClient.class);
    static final String UNAVAILABLE = "The AI model catalogue (OpenRouter) is unavailable right now. Please try again in a moment.";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final UpstreamHttp http;
    private final Config config;
    private final URI modelsUri;

    OpenRouterModelsClient(Config config, UpstreamHttp http) {
        this.http = http;
        this.config = config;
        this.modelsUri = UpstreamHttp.endpoint(config.openRouterApiUrl(), "/models");
    }

    /**
     * One {@code data} entry as OpenRouter lists it. A price is present only when it is fixed and non-negative
     * (OpenRouter writes "-1" for variable routers); name and description only when non-blank.
     */
    record Listed(String id, Optional<String> name, Optional<String> description, Optional<BigDecimal> promptPrice,
                  Optional<BigDecimal> completionPrice, long contextLength, Optional<Long> maxCompletionTokens) {
    }

    /** The entries with a textual id, in upstream order. */
    List<Listed> models() {
        HttpRequest.Builder request = HttpRequest.newBuilder(modelsUri)
                .timeout(config.upstreamTimeouts().openRouterModels()).GET()
                .header("Accept", "application/json")
                .header("HTTP-Referer", config.primaryFrontendUrl())
                .header("X-Title", config.appName())
                .header("User-Agent", UpstreamHttp.BROWSER_USER_AGENT);
        config.openRouterApiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        UpstreamResponse response;
        try {
            response = http.send(request);
        } catch (UpstreamException e) {
            throw failure(e.getMessage(), e);
        }
        if (!response.isSuccess()) {
            throw failure("GET /models answered HTTP " + response.status(), null);
        }
        JsonNode data;
        try {
            data = MAPPER.readTree(response.body()).path("data");
        } catch (IOException e) {
            throw failure("GET /models answered malformed JSON", e);
        }
        if (!data.isArray()) {
            throw failure("GET /models answered without a data array", null);
        }
        List<Listed> out = new ArrayList<>(data.size());
        for (JsonNode raw : data) {
            if (raw.path("id").isTextual()) {
                out.add(listed(raw));
            }
        }
        return out;
    }

    private static Listed listed(JsonNode raw) {
        JsonNode maxTokens = raw.path("top_provider").path("max_completion_tokens");
        return new Listed(raw.path("id").asText(), text(raw.path("name")), text(raw.path("description")),
                price(raw.path("pricing").path("prompt")), price(raw.path("pricing").path("completion")),
                raw.path("context_length").canConvertToLong() ? raw.path("context_length").asLong() : 0,
                maxTokens.isNumber() && maxTokens.canConvertToLong() ? Optional.of(maxTokens.asLong())
                        : Optional.empty());
    }

    private static Optional<BigDecimal> price(JsonNode node) {
        try {
            BigDecimal value = node.isNumber() ? node.decimalValue()
                    : node.isTextual() ? new BigDecimal(node.asText().trim()) : null;
            return value == null || value.signum() < 0 ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static ApiException failure(String detail, Throwable cause) {
        log.warn("OpenRouter models call failed: {}", detail, cause);
        return new ApiException(503, "external_api_error", UNAVAILABLE);
    }
}
