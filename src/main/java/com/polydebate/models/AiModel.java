package com.polydebate.models;

/** A selectable OpenRouter model (§8.1, §18.4). */
public record AiModel(
        String id,
        String name,
        String provider,
        String description,
        Pricing pricing,
        boolean isFree,
        long contextLength,
        long maxOutputTokens,
        boolean supported) {

    /** USD per token for input and output; {@code totalPerMillion} = (input + output) × 1,000,000. */
    public record Pricing(double input, double output, double totalPerMillion) {
    }
}
