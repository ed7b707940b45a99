package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.Config;
import com.polydebate.config.ConfigLoader;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.storage.FileSystemBlobStore;
import com.polydebate.support.Fixtures;
import com.polydebate.upstream.UpstreamHttp;
import com.polydebate.upstream.UpstreamMetrics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class UpstreamClientsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final FakeUpstream fake = new FakeUpstream();
    /** Jitter only ever adds to a wait; without it the waits are exactly the contract's. */
    private static final RandomGenerator NO_JITTER = () -> 0L;
    private final UpstreamHttp http = new UpstreamHttp(UpstreamHttp.newClient(Duration.ofSeconds(5)));
    private final List<Duration> waits = new ArrayList<>();
    @TempDir
    Path storage;

    @AfterEach
    void stop() {
        fake.close();
    }

    private Config config(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("APP_ENV", "development");
        env.put("JWT_SECRET_KEY", "test-secret-key-that-is-long-enough-1234567890");
        env.put("STORAGE_DIR", storage.toString());
        env.put("OPENROUTER_API_URL", fake.baseUrl());
        env.put("OPENROUTER_API_KEY", "key");
        env.put("ELEVENLABS_API_URL", fake.baseUrl());
        env.put("ELEVENLABS_API_KEY", "el-key");
        env.put("ELEVENLABS_VOICE_IDS", "first,second");
        env.put("MODEL_TIMEOUT_SECONDS", "1");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ConfigLoader.load(env, new SecureRandom());
    }

    private OpenRouterChat chat() {
        return new OpenRouterChat(http, MAPPER, config(), Clock.systemUTC(), waits::add, NO_JITTER);
    }

    private static List<PromptBuilder.ChatMessage> prompt() {
        return List.of(new PromptBuilder.ChatMessage("user", "hi"));
    }

    private static String completion(String content) {
        return "{\"choices\":[{\"message\":{\"content\":" + MAPPER.valueToTree(content) + "}}],\"usage\":{\"total_tokens\":9}}";
    }

    @Test
    @Timeout(10)
    void a_transport_built_later_answers_its_first_call_whether_or_not_its_background_build_ran() {
        fake.on("GET", "/ping", call -> Reply.json(200, "{\"ok\":true}"));
        UpstreamHttp untouched = UpstreamHttp.builtLater(Duration.ofSeconds(5), UpstreamMetrics.NONE);
        UpstreamHttp prepared = UpstreamHttp.builtLater(Duration.ofSeconds(5), UpstreamMetrics.NONE);
        prepared.buildInBackground();
        prepared.buildInBackground();

        for (UpstreamHttp transport : List.of(untouched, prepared)) {
            var answer = transport.send(HttpRequest.newBuilder(
                    URI.create(fake.baseUrl() + "/ping")).timeout(Duration.ofSeconds(5)));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body())).isEqualTo("{\"ok\":true}");
        }
        assertThat(fake.count("GET", "/ping")).isEqualTo(2);
    }

    @Test
    void a_429_is_retried_with_backoff_honouring_a_longer_retry_after() throws Exception {
        AtomicInteger n = new AtomicInteger();
        fake.on("POST", "/chat/completions", call -> switch (n.incrementAndGet()) {
            case 1 -> Reply.json(429, Fixtures.text("openrouter/error-429.json"));
            case 2 -> Reply.json(429, "{}").withHeader("Retry-After", "7");
            case 3 -> Reply.json(429, "{}").withHeader("Retry-After", "120");
            default -> Reply.json(200, completion("done"));
        });

        OpenRouterChat.ChatResult result = chat().complete("a/b", prompt(), 1000);

        assertThat(result.content()).isEqualTo("done");
        assertThat(result.totalTokens()).isEqualTo(9);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(7), Duration.ofSeconds(30));
    }

    @Test
    void the_recorded_stream_is_assembled_with_usage_and_cost_and_each_fragment_seen_as_it_comes() throws Exception {
        String recorded = Fixtures.text("openrouter/chat-stream.txt");
        fake.on("POST", "/chat/completions", call -> Reply.stream(List.of(FakeUpstream.Reply.Chunk.text(recorded)),
                Duration.ZERO));
        List<String> fragments = new ArrayList<>();
        ModelCallLog log = new ModelCallLog();

        OpenRouterChat.StreamListener listener = new OpenRouterChat.StreamListener() {
            @Override
            public void attemptStarted(int attempt) {
            }

            @Override
            public void content(String fragment) {
                fragments.add(fragment);
            }
        };

        OpenRouterChat.ChatResult result = chat().complete("a/b", prompt(), 1000, listener, log);

        StringBuilder expected = new StringBuilder();
        for (String line : recorded.lines().filter(l -> l.startsWith("data: {")).toList()) {
            expected.append(MAPPER.readTree(line.substring(6)).path("choices").path(0).path("delta").path("content")
                    .asText());
        }
        assertThat(result.content()).isEqualTo(expected.toString()).startsWith("https://github.com");
        assertThat(String.join("", fragments)).isEqualTo(expected.toString());
        assertThat(fragments).hasSize(12);
        assertThat(result.totalTokens()).isEqualTo(8204);
        assertThat(log.usage()).isEqualTo(new ModelCallLog.Usage(8174L, 30L, 0L, 8204L, 0.0133176));
        assertThat(log.streamed()).isTrue();
        assertThat(log.attempts()).hasSize(1);
        assertThat(log.attempts().get(0).firstTokenMillis()).isNotNull();
    }

    @Test
    void the_recorded_mid_stream_error_fails_the_attempt_and_is_retried_then_reported() {
        fake.on("POST", "/chat/completions", call -> Reply.stream(List.of(FakeUpstream.Reply.Chunk.text(
                Fixtures.text("openrouter/chat-stream-midstream-error.txt"))), Duration.ZERO));
        ModelCallLog log = new ModelCallLog();

        assertThatThrownBy(() -> chat().complete("a/b", prompt(), 1000, OpenRouterChat.StreamListener.NONE, log))
                .isInstanceOf(ModelCallException.class)
                .hasMessageContaining("Token limit reached")
                .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("error"));
        assertThat(fake.count("POST", "/chat/completions")).isEqualTo(5);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16));
        assertThat(log.attempts()).hasSize(5).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(log.usage().reasoningTokens()).isEqualTo(11L);
    }

    @Test
    void persistent_429_gives_up_after_five_attempts_as_rate_limit() {
        fake.on("POST", "/chat/completions", call -> Reply.json(429, Fixtures.text("openrouter/error-429.json")));

        assertThatThrownBy(() -> chat().complete("a/b", prompt(), 1000))
                .isInstanceOf(ModelCallException.class)
                .hasMessage("HTTP 429 after 5 attempts")
                .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("rate_limit"));
        assertThat(fake.count("POST", "/chat/completions")).isEqualTo(5);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16));
    }

    @Test
    void server_errors_are_not_retried_and_failures_are_classified() {
        fake.on("POST", "/chat/completions", call -> Reply.json(502, "{\"error\":{\"message\":\"Too many requests upstream\"}}"));
        assertThatThrownBy(() -> chat().complete("a/b", prompt(), 1000))
                .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("rate_limit"));
        assertThat(fake.count("POST", "/chat/completions")).isEqualTo(1);

        fake.on("POST", "/chat/completions", call -> Reply.json(200, "{\"error\":{\"code\":400,\"message\":\"bad\"}}"));
        assertThatThrownBy(() -> chat().complete("a/b", prompt(), 1000))
                .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("error"));
        fake.on("POST", "/chat/completions", call -> Reply.json(200, "{\"choices\":[]}"));
        assertThatThrownBy(() -> chat().complete("a/b", prompt(), 1000))
                .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("error"));
        fake.on("POST", "/chat/completions", call -> Reply.json(200, completion("")));
        assertThatThrownBy(() -> chat().complete("a/b", prompt(), 1000))
                .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("invalid_response"));
        fake.on("POST", "/chat/completions", call -> Reply.json(200, completion("late")).delayed(Duration.ofMillis(1800)));
        assertThatThrownBy(() -> chat().complete("a/b", prompt(), 1000))
                .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("timeout"));
        fake.on("POST", "/chat/completions", call -> Reply.hangUp());
        assertThatThrownBy(() -> chat().complete("a/b", prompt(), 1000))
                .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("error"));
    }

    @Test
    void the_recorded_reasoning_completion_yields_its_content_and_tokens() throws Exception {
        fake.on("POST", "/chat/completions",
                call -> Reply.json(200, Fixtures.text("openrouter/chat-completion-reasoning.json")));

        OpenRouterChat.ChatResult result = chat().complete("openai/gpt-5-mini", prompt(), 1000);

        assertThat(result.content()).startsWith("Here’s a concise but thorough overview of Mars");
        long expected = MAPPER.readTree(Fixtures.text("openrouter/chat-completion-reasoning.json"))
                .path("usage").path("total_tokens").asLong();
        assertThat(result.totalTokens()).isEqualTo(expected).isPositive();
        var call = fake.calls().get(0);
        assertThat(call.header("Authorization")).isEqualTo("Bearer key");
        assertThat(call.header("HTTP-Referer")).isEqualTo("http://localhost:3000");
        assertThat(call.header("User-Agent")).contains("Mozilla");
        assertThat(MAPPER.readTree(call.body()).path("model").asText()).isEqualTo("openai/gpt-5-mini");
    }

    private ElevenLabsSpeech speech(String... env) {
        return new ElevenLabsSpeech(http, MAPPER, config(env), new FileSystemBlobStore(storage));
    }

    @Test
    void speech_writes_the_mp3_atomically_and_measures_it() throws Exception {
        fake.on("POST", "/text-to-speech/second", call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(100)));

        Speech result = speech().speak("abc-123", "x".repeat(600), 1);

        assertThat(result.audioUrl()).isEqualTo("/api/audio/abc-123.mp3");
        assertThat(result.audioDuration()).isEqualTo(2.6);
        assertThat(result.audioError()).isNull();
        assertThat(Files.readAllBytes(storage.resolve("audio/abc-123.mp3"))).isEqualTo(DebateHarness.mp3(100));
        try (var files = Files.list(storage.resolve("audio"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("abc-123.mp3");
        }
        var call = fake.calls().get(0);
        assertThat(call.header("xi-api-key")).isEqualTo("el-key");
        assertThat(call.header("Accept")).isEqualTo("audio/mpeg");
        var body = MAPPER.readTree(call.body());
        assertThat(body.path("text").asText()).hasSize(503).endsWith("...");
        assertThat(body.path("model_id").asText()).isEqualTo("eleven_turbo_v2");
        assertThat(body.path("voice_settings").path("similarity_boost").asDouble()).isEqualTo(0.75);
    }

    @Test
    void speech_failures_map_to_the_contract_texts() {
        assertThat(speech("ELEVENLABS_API_KEY", "").speak("m", "t", 0).audioError())
                .isEqualTo("Text-to-speech is not configured");
        assertThat(fake.calls()).isEmpty();

        fake.on("POST", "/text-to-speech/first", call -> Reply.json(401, Fixtures.text("elevenlabs/error-401-quota-exceeded.json")));
        assertThat(speech().speak("m", "t", 0).audioError()).isEqualTo("ElevenLabs character quota used up");
        fake.on("POST", "/text-to-speech/first", call -> Reply.json(401, "{\"detail\":{\"status\":\"invalid_api_key\"}}"));
        assertThat(speech().speak("m", "t", 0).audioError()).isEqualTo("ElevenLabs rejected the API key");
        fake.on("POST", "/text-to-speech/first", call -> Reply.json(429, "{}"));
        assertThat(speech().speak("m", "t", 0).audioError()).isEqualTo("ElevenLabs rate limit hit");
        fake.on("POST", "/text-to-speech/first", call -> Reply.json(503, "{}"));
        assertThat(speech().speak("m", "t", 0).audioError()).isEqualTo("ElevenLabs answered HTTP 503");
        fake.on("POST", "/text-to-speech/first", call -> Reply.hangUp());
        Speech dropped = speech().speak("m", "t", 0);
        assertThat(dropped.audioError()).isNotBlank();
        assertThat(dropped.audioUrl()).isNull();
        assertThat(dropped.audioDuration()).isNull();
    }

    @Test
    void voice_limit_falls_back_to_the_first_voice_once() {
        fake.on("POST", "/text-to-speech/second",
                call -> Reply.json(400, Fixtures.text("elevenlabs/error-400-voice-limit-reached.json")));
        fake.on("POST", "/text-to-speech/first", call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(10)));

        assertThat(speech().speak("fallback", "t", 1).audioUrl()).isEqualTo("/api/audio/fallback.mp3");

        fake.on("POST", "/text-to-speech/first", call -> Reply.json(500, "{}"));
        assertThat(speech().speak("fallback2", "t", 1).audioError())
                .isEqualTo("ElevenLabs voice limit reached; fallback voice failed too");
        assertThat(fake.count("POST", "/text-to-speech/second")).isEqualTo(2);
    }

    @Test
    void the_model_at_position_i_speaks_with_voice_i_mod_the_voice_count() {
        fake.on("POST", "/text-to-speech/first", call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(10)));
        fake.on("POST", "/text-to-speech/second", call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(10)));

        for (int position = 0; position < 5; position++) {
            speech().speak("voice-" + position, "Text.", position);
        }

        assertThat(fake.calls()).extracting(c -> c.path()).containsExactly("/text-to-speech/first",
                "/text-to-speech/second", "/text-to-speech/first", "/text-to-speech/second", "/text-to-speech/first");
    }

    @Test
    void an_answer_whose_headers_arrive_but_whose_body_stalls_is_a_timeout_of_the_attempt() throws Exception {
        // OpenRouter keeps slow non-streaming requests alive by sending its headers and then whitespace.
        com.sun.net.httpserver.HttpServer slow = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/chat/completions", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write("\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                Thread.sleep(4000);
                exchange.getResponseBody().write(completion("late").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                // the client gave up first
            }
        });
        slow.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        slow.start();
        try {
            OpenRouterChat chat = new OpenRouterChat(http, MAPPER, config("OPENROUTER_API_URL",
                    "http://127.0.0.1:" + slow.getAddress().getPort(), "MODEL_TIMEOUT_SECONDS", "1"),
                    Clock.systemUTC(), waits::add, NO_JITTER);

            assertThatThrownBy(() -> chat.complete("a/b", prompt(), 1000))
                    .isInstanceOf(ModelCallException.class)
                    .satisfies(e -> assertThat(((ModelCallException) e).errorType()).isEqualTo("timeout"));
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void audio_without_measurable_mp3_frames_gets_the_contract_estimate_of_150_words_per_minute() {
        fake.on("POST", "/text-to-speech/first",
                call -> Reply.bytes(200, "audio/mpeg", "not an mp3".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        Speech result = speech().speak("estimate", "one two three four five six seven eight nine ten eleven twelve thirteen.", 0);

        // 13 words / 150 × 60 = 5.2 s
        assertThat(result.audioUrl()).isEqualTo("/api/audio/estimate.mp3");
        assertThat(result.audioDuration()).isEqualTo(5.2);
        assertThat(result.audioError()).isNull();
    }

    @Test
    void interrupting_a_model_call_abandons_the_http_request_itself() throws Exception {
        java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch clientGone = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer slow = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/chat/completions", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, 0);
                arrived.countDown();
                for (int i = 0; i < 100; i++) {
                    exchange.getResponseBody().write(new byte[8192]);
                    exchange.getResponseBody().flush();
                    Thread.sleep(50);
                }
            } catch (java.io.IOException e) {
                clientGone.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        slow.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        slow.start();
        try {
            OpenRouterChat chat = new OpenRouterChat(http, MAPPER, config("OPENROUTER_API_URL",
                    "http://127.0.0.1:" + slow.getAddress().getPort(), "MODEL_TIMEOUT_SECONDS", "30"),
                    Clock.systemUTC(), waits::add, NO_JITTER);
            Thread caller = new Thread(() -> {
                try {
                    chat.complete("a/b", prompt(), 1000);
                } catch (Exception e) {
                    // interrupted, as intended
                }
            });
            caller.start();
            assertThat(arrived.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            caller.interrupt();

            assertThat(clientGone.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            caller.join(5000);
        } finally {
            slow.stop(0);
        }
    }
}
