package com.polydebate.results;

import com.polydebate.upstream.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether narration will work (§13.2), from the ElevenLabs account. The answer is kept for 60 s so that every
 * setup-page load does not become an ElevenLabs call.
 */
final class AudioStatusService {
    static final Duration CACHE_FOR = Duration.ofSeconds(60);

    record AudioStatus(boolean hasAudio, String error) {
    }

    private record Cached(AudioStatus status, Instant at) {
    }

    private final Optional<ElevenLabsUserClient> elevenLabs;
    private final Clock clock;
    private Cached cached;

    /** @param elevenLabs empty when no ElevenLabs key is configured */
    AudioStatusService(Optional<ElevenLabsUserClient> elevenLabs, Clock clock) {
        this.elevenLabs = elevenLabs;
        this.clock = clock;
    }

    /** Synchronized so that concurrent page loads after expiry cause one upstream call, not many. */
    synchronized AudioStatus status() {
        if (elevenLabs.isEmpty()) {
            return new AudioStatus(false, "Narration is not configured on this server.");
        }
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.at().plus(CACHE_FOR))) {
            return cached.status();
        }
        AudioStatus status = fetch(elevenLabs.get());
        cached = new Cached(status, now);
        return status;
    }

    private static AudioStatus fetch(ElevenLabsUserClient client) {
        ElevenLabsUserClient.Account account;
        try {
            account = client.account();
        } catch (UpstreamException e) {
            // Optimistic like the original: a network hiccup should not hide the audio option.
            return new AudioStatus(true, null);
        }
        return switch (account.standing()) {
            case USABLE -> new AudioStatus(true, null);
            case FREE_TIER_USED_UP -> new AudioStatus(false,
                    "The ElevenLabs free-tier allowance is used up, so this debate will have no audio.");
            case CREDITS_USED_UP -> new AudioStatus(false,
                    "ElevenLabs credits are used up, so this debate will have no audio.");
            case KEY_REJECTED -> new AudioStatus(false, "The narration service rejected our API key.");
            case OTHER_ANSWER -> new AudioStatus(false,
                    "The narration service answered HTTP " + account.httpStatus() + ".");
        };
    }
}
