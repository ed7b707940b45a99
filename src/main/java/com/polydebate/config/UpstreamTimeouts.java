package com.polydebate.config;

import java.time.Duration;

/**
 * How long each upstream call may take, the whole answer included; the connect timeout bounds every call's
 * connection set-up. OpenRouter chat and Gemini keep their own settings ({@code MODEL_TIMEOUT_SECONDS},
 * {@code GEMINI_TIMEOUT_SECONDS}).
 *
 * @param polymarket Gamma event, event pages and tags, and the web app's biggest movers
 * @param polymarketEvents Gamma's plain {@code /events} lists (trending, new), which are larger
 * @param polymarketEnrichment slug look-ups and CLOB price history, which only enrich an answer
 * @param elevenLabsSpeech text-to-speech for one message
 * @param elevenLabsStatus the account check behind {@code /api/debate/audio/status}
 */
public record UpstreamTimeouts(
        Duration connect,
        Duration polymarket,
        Duration polymarketEvents,
        Duration polymarketEnrichment,
        Duration openRouterModels,
        Duration elevenLabsSpeech,
        Duration elevenLabsStatus) {
}
