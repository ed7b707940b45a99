package com.polydebate.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.config.Config;
import com.polydebate.upstream.TtlCache;
import com.polydebate.upstream.UpstreamHttp;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The allowed, priced OpenRouter catalogue (§8), cached for {@code CACHE_MODELS_TTL} with stale-on-error. */
public final class ModelService implements ModelCatalog {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final long DEFAULT_MAX_OUTPUT_TOKENS = 4096;

    private final OpenRouterModelsClient client;
    private final Set<String> allowed;
    private final BigDecimal maxPricePerMillion;
    private final TtlCache<String, List<AiModel>> cache;

    public ModelService(Config config, UpstreamHttp http, Clock clock) {
        this.client = new OpenRouterModelsClient(config, http);
        this.allowed = Set.copyOf(config.allowedModels().stream().map(String::trim).toList());
        this.maxPricePerMillion = BigDecimal.valueOf(config.modelsMaxPricePerMillion());
        this.cache = new TtlCache<>(clock, Duration.ofSeconds(config.cacheModelsTtl()), 1);
    }

    @Override
    public List<AiModel> models() {
        return cache.get("catalogue", key -> load());
    }

    private List<AiModel> load() {
        List<AiModel> out = new ArrayList<>();
        for (JsonNode raw : client.models()) {
            toModel(raw).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    private Optional<AiModel> toModel(JsonNode raw) {
        String id = raw.path("id").isTextual() ? raw.path("id").asText() : null;
        if (id == null || !allowed.contains(id)) {
            return Optional.empty();
        }
        Optional<BigDecimal> prompt = price(raw.path("pricing").path("prompt"));
        Optional<BigDecimal> completion = price(raw.path("pricing").path("completion"));
        // Without a fixed, non-negative price (OpenRouter uses "-1" for variable routers) the ceiling
        // cannot be applied, so such a model is not offered.
        if (prompt.isEmpty() || completion.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal total = prompt.get().add(completion.get()).multiply(MILLION).setScale(6, RoundingMode.HALF_UP);
        boolean free = total.signum() == 0;
        if (!free && total.compareTo(maxPricePerMillion) > 0) {
            return Optional.empty();
        }
        JsonNode maxTokens = raw.path("top_provider").path("max_completion_tokens");
        return Optional.of(new AiModel(
                id,
                text(raw.path("name")).orElse(id),
                ModelNames.provider(id),
                text(raw.path("description")).orElse(""),
                new AiModel.Pricing(prompt.get().doubleValue(), completion.get().doubleValue(), total.doubleValue()),
                free,
                raw.path("context_length").canConvertToLong() ? raw.path("context_length").asLong() : 0,
                maxTokens.isNumber() && maxTokens.canConvertToLong() ? maxTokens.asLong() : DEFAULT_MAX_OUTPUT_TOKENS,
                true));
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
}
