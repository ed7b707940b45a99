package com.polydebate.debates;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.config.Config;
import com.polydebate.storage.BlobStore;
import com.polydebate.upstream.UpstreamException;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/** ElevenLabs text-to-speech (§11.10): the MP3 stored as {@code audio/<message id>.mp3}, failures as readable text. */
final class ElevenLabsSpeech {
    private static final int MAX_CHARS = 500;

    private final UpstreamHttp http;
    private final ObjectMapper mapper;
    private final Config config;
    private final BlobStore blobs;

    ElevenLabsSpeech(UpstreamHttp http, ObjectMapper mapper, Config config, BlobStore blobs) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
        this.blobs = blobs;
    }

    Speech speak(String messageId, String text, int modelPosition) {
        if (config.elevenLabsApiKey().isEmpty()) {
            return Speech.failed("Text-to-speech is not configured");
        }
        List<String> voices = config.elevenLabsVoiceIds();
        String voice = voices.get(modelPosition % voices.size());
        String spoken = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "..." : text;
        try {
            UpstreamResponse response = call(voice, spoken);
            if (response.status() == 400 && response.bodyText().contains("voice_limit_reached")) {
                response = call(voices.get(0), spoken);
                if (!response.isSuccess()) {
                    return Speech.failed("ElevenLabs voice limit reached; fallback voice failed too");
                }
            }
            if (!response.isSuccess()) {
                return Speech.failed(describe(response));
            }
            String file = messageId + ".mp3";
            blobs.put(AudioFiles.KEY_PREFIX + file, response.body(), AudioFiles.CONTENT_TYPE);
            // Measured from the frames when possible; otherwise the contract's 150 words-per-minute estimate.
            return new Speech("/api/audio/" + file,
                    Mp3Duration.of(response.body()).orElseGet(() -> estimatedSeconds(spoken)), null);
        } catch (UpstreamException e) {
            return Speech.failed(e.isTimeout() ? "ElevenLabs did not answer within " + timeout().toSeconds() + " s"
                    : "Could not reach ElevenLabs");
        } catch (IOException e) {
            return Speech.failed("Could not store the audio file");
        }
    }

    /** {@code round(words / 150 × 60, 1)} (§11.10). */
    static double estimatedSeconds(String spoken) {
        String trimmed = spoken.strip();
        int words = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        return BigDecimal.valueOf(words * 60).divide(BigDecimal.valueOf(150), 1, RoundingMode.HALF_UP).doubleValue();
    }

    private static String describe(UpstreamResponse response) {
        String body = response.bodyText();
        if (response.status() == 401) {
            return body.contains("quota_exceeded") ? "ElevenLabs character quota used up"
                    : "ElevenLabs rejected the API key";
        }
        if (response.status() == 429) {
            return "ElevenLabs rate limit hit";
        }
        return "ElevenLabs answered HTTP " + response.status();
    }

    private UpstreamResponse call(String voice, String text) {
        ObjectNode body = mapper.createObjectNode();
        body.put("text", text);
        body.put("model_id", config.elevenLabsModelId());
        body.putObject("voice_settings").put("stability", 0.5).put("similarity_boost", 0.75)
                .put("style", 0.0).put("use_speaker_boost", true);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        UpstreamHttp.endpoint(config.elevenLabsApiUrl(), "/text-to-speech/" + voice))
                .timeout(timeout())
                .header("xi-api-key", config.elevenLabsApiKey().orElseThrow())
                .header("Content-Type", "application/json")
                .header("Accept", "audio/mpeg")
                .header("User-Agent", UpstreamHttp.BROWSER_USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        return http.send(request);
    }

    private Duration timeout() {
        return config.upstreamTimeouts().elevenLabsSpeech();
    }
}
