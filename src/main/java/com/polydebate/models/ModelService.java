package com.polydebate.models;

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
        for (OpenRouterModelsClient.Listed listed : client.models()) {
            toModel(listed).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    private Optional<AiModel> toModel(OpenRouterModelsClient.Listed listed) {
        String id = listed.id();
        if (!allowed.contains(id)) {
            return Optional.empty();
        }
        Optional<BigDecimal> prompt = listed.promptPrice();
        Optional<BigDecimal> completion = listed.completionPrice();
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
        return Optional.of(new AiModel(
                id,
                listed.name().orElse(id),
                ModelNames.provider(id),
                listed.description().orElse(""),
                new AiModel.Pricing(prompt.get().doubleValue(), completion.get().doubleValue(), total.doubleValue()),
                free,
                listed.contextLength(),
                listed.maxCompletionTokens().orElse(DEFAULT_MAX_OUTPUT_TOKENS),
                true));
    }
}
