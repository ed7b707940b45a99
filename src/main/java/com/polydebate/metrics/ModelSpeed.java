package com.polydebate.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * How fast the models answer (issue 15 §4): time to first token and tokens per second, by model, for every model
 * call that gave its turn a message. Models are the allow-listed OpenRouter ids, so the tag stays bounded.
 */
public final class ModelSpeed {
    private final MeterRegistry registry;

    public ModelSpeed(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A call's answering attempt; unknown parts (no token seen, no usage reported) are not recorded. */
    public void record(String modelId, Long firstTokenMillis, Long completionTokens, long generationMillis) {
        if (firstTokenMillis != null) {
            Timer.builder("polydebate.model.time_to_first_token")
                    .description("From a model request to its first streamed token")
                    .tag("model", modelId)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(Duration.ofMillis(firstTokenMillis));
        }
        if (completionTokens != null && completionTokens > 0 && generationMillis > 0) {
            DistributionSummary.builder("polydebate.model.tokens_per_second")
                    .description("Completion tokens over the time from the first token to the end of the answer")
                    .tag("model", modelId)
                    .register(registry)
                    .record(completionTokens * 1000.0 / generationMillis);
        }
    }
}
