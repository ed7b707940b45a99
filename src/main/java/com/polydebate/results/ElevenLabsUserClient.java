package com.polydebate.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.upstream.UpstreamException;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** ElevenLabs {@code GET /user} (§13.2): what the account behind the API key says about narrating. */
final class ElevenLabsUserClient {
    /** The account's standing as far as narration goes. */
    enum Standing { USABLE, FREE_TIER_USED_UP, CREDITS_USED_UP, KEY_REJECTED, OTHER_ANSWER }

    /** The standing with the HTTP status it was read from. */
    record Account(Standing standing, int httpStatus) {
    }

    private final UpstreamHttp http;
    private final ObjectMapper mapper;
    private final URI userUrl;
    private final String apiKey;
    private final Duration timeout;

    ElevenLabsUserClient(UpstreamHttp http, ObjectMapper mapper, URI apiUrl, String apiKey, Duration timeout) {
        this.http = http;
        this.mapper = mapper;
        this.userUrl = UpstreamHttp.endpoint(apiUrl, "/user");
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    /** @throws UpstreamException when ElevenLabs could not be reached or did not answer in time */
    Account account() {
        UpstreamResponse response = http.send(HttpRequest.newBuilder(userUrl).timeout(timeout)
                .header("xi-api-key", apiKey)
                .header("Accept", "application/json")
                .header("User-Agent", UpstreamHttp.BROWSER_USER_AGENT)
                .GET());
        Standing standing;
        if (response.status() == 200) {
            standing = freeTierUsedUp(response) ? Standing.FREE_TIER_USED_UP : Standing.USABLE;
        } else if (response.status() == 401) {
            standing = response.bodyText().contains("quota_exceeded") ? Standing.CREDITS_USED_UP
                    : Standing.KEY_REJECTED;
        } else {
            standing = Standing.OTHER_ANSWER;
        }
        return new Account(standing, response.status());
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
