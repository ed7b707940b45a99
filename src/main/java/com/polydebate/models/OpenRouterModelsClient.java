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
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OpenRouter {@code GET /models} (§8.2 rule 1). Failures become 503 with a fixed message. */
final class OpenRouterModelsClient {
    private static final Logger log = LoggerFactory.getLogger(OpenRouterModelsClient.class);
    static final String UNAVAILABLE = "The AI model catalogue (OpenRouter) is unavailable right now. Please try again in a moment.";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final UpstreamHttp http;
    private final Config config;
    private final URI modelsUri;

    OpenRouterModelsClient(Config config, UpstreamHttp http) {
        this.http = http;
        this.config = config;
        String base = config.openRouterApiUrl().toString().replaceAll("/+$", "");
        this.modelsUri = URI.create(base + "/models");
    }

    /** The raw {@code data} entries in upstream order. */
    List<JsonNode> models() {
        HttpRequest.Builder request = HttpRequest.newBuilder(modelsUri).timeout(TIMEOUT).GET()
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
        List<JsonNode> out = new ArrayList<>(data.size());
        data.forEach(out::add);
        return out;
    }

    private static ApiException failure(String detail, Throwable cause) {
        log.warn("OpenRouter models call failed: {}", detail, cause);
        return new ApiException(503, "external_api_error", UNAVAILABLE);
    }
}
