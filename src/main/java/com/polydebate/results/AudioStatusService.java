package com.polydebate.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.upstream.UpstreamException;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether narration will work (§13.2), from ElevenLabs {@code GET /user}. The answer is kept for 60 s so
 * that every setup-page load does not become an ElevenLabs call.
 */
final class AudioStatusService {
    static final Duration CACHE_FOR = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    record AudioStatus(boolean hasAudio, String error) {
    }

    private record Cached(AudioStatus status, Instant at) {
    }

    private final UpstreamHttp http;
    private final ObjectMapper mapper;
    private final URI userUrl;
    private final Optional<String> apiKey;
    private final Clock clock;
    private Cached cached;

    AudioStatusService(UpstreamHttp http, ObjectMapper mapper, URI apiUrl, Optional<String> apiKey, Clock clock) {
        this.http = http;
        this.mapper = mapper;
        this.userUrl = UpstreamHttp.endpoint(apiUrl, "/user");
        this.apiKey = apiKey;
        this.clock = clock;
    }

    /** Synchronized so that concurrent page loads after expiry cause one upstream call, not many. */
    synchronized AudioStatus status() {
        if (apiKey.isEmpty()) {
            return new AudioStatus(false, "Narration is not configured on this server.");
        }
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.at().plus(CACHE_FOR))) {
            return cached.status();
        }
        AudioStatus status = fetch();
        cached = new Cached(status, now);
        return status;
    }

    private AudioStatus fetch() {
        UpstreamResponse response;
        try {
            response = http.send(HttpRequest.newBuilder(userUrl).timeout(TIMEOUT)
                    .header("xi-api-key", apiKey.orElseThrow())
                    .header("Accept", "application/json")
                    .header("User-Agent", UpstreamHttp.BROWSER_USER_AGENT)
                    .GET());
        } catch (UpstreamException e) {
            // Optimistic like the original: a network hiccup should not hide the audio option.
            return new AudioStatus(true, null);
        }
        if (response.status() == 200) {
            return freeTierUsedUp(response)
                    ? new AudioStatus(false,
                            "The ElevenLabs free-tier allowance is used up, so this debate will have no audio.")
                    : new AudioStatus(true, null);
        }
        if (response.status() == 401) {
            return response.bodyText().contains("quota_exceeded")
                    ? new AudioStatus(false, "ElevenLabs credits are used up, so this debate will have no audio.")
                    : new AudioStatus(false, "The narration service rejected our API key.");
        }
        return new AudioStatus(false, "The narration service answered HTTP " + response.status() + ".");
    }

    private boolean freeTierUsedUp(UpstreamResponse response) {
        try {
            JsonNode subscription = mapper.readTree(response.body()).path("subscription");
            return subscription.path("tier").asText().equals("free")
                    && subscription.path("character_count").isNumber()
                    && subscription.path("character_limit").isNumber()
                    && subscription.path("character_count").asLong() >= subscription.path("character_limit").asLong();
        } catch (IOException e) {
            return false;
        }
    }
}
