package com.polydebate.debates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Call;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fakes for every upstream a debate touches (Gamma, CLOB, OpenRouter, ElevenLabs) plus an SSE client, for the
 * end-to-end debate tests and the benchmark. Servers started through {@link #start} are closed with the fakes;
 * a test registers the harness as an extension ({@code @RegisterExtension}) to have both closed after each test.
 */
public final class DebateHarness implements AutoCloseable, AfterEachCallback {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String BINARY_MARKET = "2890";
    public static final String CATEGORICAL_MARKET = "481717";
    public static final String MODEL_A = "anthropic/claude-haiku-4.5";
    public static final String MODEL_B = "x-ai/grok-4-fast";
    public static final String MODEL_C = "qwen/qwen-turbo";
    private static final Pattern NAMES = Pattern.compile("The exact outcome names are: (.*)\\.\\n");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern ROUND = Pattern.compile("This is round (\\d+) of \\d+\\.");

    public final FakeUpstream gamma = new FakeUpstream();
    public final FakeUpstream clob = new FakeUpstream();
    public final FakeUpstream openRouter = new FakeUpstream();
    public final FakeUpstream elevenLabs = new FakeUpstream();
    public volatile Function<Call, Reply> chat = DebateHarness::defaultReply;
    public volatile Function<Call, Reply> speech = call -> Reply.bytes(200, "audio/mpeg", mp3(40));
    private final List<TestServer> servers = new CopyOnWriteArrayList<>();

    public DebateHarness() {
        try {
            String binary = MAPPER.readTree(Fixtures.text("polymarket-gamma/event-binary.json")).get(0).toString();
            gamma.on("GET", "/events/" + BINARY_MARKET, call -> Reply.json(200, binary));
            gamma.on("GET", "/events/" + CATEGORICAL_MARKET,
                    call -> Reply.json(200, Fixtures.text("polymarket-gamma/event-categorical.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        clob.on("GET", "/prices-history", call -> Reply.json(200, Fixtures.text("polymarket-clob/prices-history.json")));
        openRouter.on("GET", "/models", call -> Reply.json(503, "{\"error\":{\"message\":\"down\"}}"));
        openRouter.on("POST", "/chat/completions", call -> chat.apply(call));
        for (String voice : List.of("v0", "v1", "v2")) {
            elevenLabs.on("POST", "/text-to-speech/" + voice, call -> speech.apply(call));
        }
    }

    public TestServer.Builder server() {
        TestServer.Builder builder = TestServer.builder();
        env().forEach(builder::env);
        return builder;
    }

    /** The settings that point a server at these fakes (for servers started outside {@link TestServer}). */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POLYMARKET_GAMMA_URL", gamma.baseUrl());
        env.put("POLYMARKET_CLOB_URL", clob.baseUrl());
        env.put("OPENROUTER_API_URL", openRouter.baseUrl());
        env.put("OPENROUTER_API_KEY", "or-test-key");
        env.put("ELEVENLABS_API_URL", elevenLabs.baseUrl());
        env.put("ELEVENLABS_API_KEY", "el-test-key");
        env.put("ELEVENLABS_VOICE_IDS", "v0,v1,v2");
        env.put("ALLOWED_MODELS", String.join(",", MODEL_A, MODEL_B, MODEL_C));
        env.put("DAILY_DEBATE_LIMIT", "50");
        env.put("MODEL_TIMEOUT_SECONDS", "2");
        return env;
    }

    /** Starts a server configured by {@link #server()}; {@link #close()} closes it. */
    public TestServer start() {
        return start(server());
    }

    /** Starts {@code builder}'s server (one from {@link #server()}, adjusted); {@link #close()} closes it. */
    public TestServer start(TestServer.Builder builder) {
        TestServer server = builder.start();
        servers.add(server);
        return server;
    }

    /** Every model gives the default answer after {@code delay}, so a debate is still running when a test acts. */
    public void answerAfter(Duration delay) {
        chat = call -> defaultReply(call).delayed(delay);
    }

    public int chatCalls() {
        return openRouter.count("POST", "/chat/completions");
    }

    // ---- fake answers ----

    public static List<String> outcomeNames(Call call) {
        String system = requestMessages(call).get(0).path("content").asText();
        Matcher m = NAMES.matcher(system);
        List<String> names = new ArrayList<>();
        if (m.find()) {
            Matcher q = QUOTED.matcher(m.group(1));
            while (q.find()) {
                names.add(q.group(1));
            }
        }
        return names;
    }

    public static List<JsonNode> requestMessages(Call call) {
        try {
            List<JsonNode> list = new ArrayList<>();
            MAPPER.readTree(call.body()).path("messages").forEach(list::add);
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The round a chat request asks for, read from its system message. */
    public static int round(Call call) {
        Matcher m = ROUND.matcher(requestMessages(call).get(0).path("content").asText());
        if (!m.find()) {
            throw new AssertionError("no round in the system message of " + call.body());
        }
        return Integer.parseInt(m.group(1));
    }

    /** The earlier debate messages a chat request quotes (role assistant), in order. */
    public static List<String> quoted(Call call) {
        return requestMessages(call).stream().filter(m -> m.path("role").asText().equals("assistant"))
                .map(m -> m.path("content").asText()).toList();
    }

    public static String model(Call call) {
        try {
            return MAPPER.readTree(call.body()).path("model").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON answer favouring the first outcome, with a number that must survive the sentence splitter. */
    public static String defaultAnswer(Call call) {
        List<String> names = outcomeNames(call);
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("argument", model(call) + " sees the odds near 39.78% today. A second sentence is cut.");
        ObjectNode predictions = answer.putObject("predictions");
        for (int i = 0; i < names.size(); i++) {
            predictions.put(names.get(i), i == 0 ? 60 : 40.0 / Math.max(1, names.size() - 1));
        }
        return answer.toString();
    }

    /** The chat completion carrying {@link #defaultAnswer}. */
    public static Reply defaultReply(Call call) {
        return Reply.json(200, completion(call, defaultAnswer(call)));
    }

    /** An OpenRouter chat completion (the recorded fixture's shape) carrying {@code content}. */
    public static String completion(Call call, String content) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.text("openrouter/chat-completion.json"));
            ((ObjectNode) root.path("choices").get(0).path("message")).put("content", content);
            root.put("model", model(call));
            return root.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The answer {@code content} streamed as OpenRouter streams it (the recorded chunk shape of
     * {@code chat-stream.txt}): keep-alive comments first and midway, then {@code content} in pieces of
     * {@code pieceSize} characters, each event cut in two chunks at its middle byte (so chunk edges fall inside JSON,
     * escapes and UTF-8 characters), the finishing chunk with usage and cost, then {@code [DONE]}.
     */
    public static Reply streamedReply(Call call, String content, int pieceSize, Duration gap) {
        List<FakeUpstream.Reply.Chunk> chunks = new ArrayList<>();
        chunks.add(FakeUpstream.Reply.Chunk.text(": OPENROUTER PROCESSING\n\n"));
        chunks.add(FakeUpstream.Reply.Chunk.text(": OPENROUTER PROCESSING\n\n"));
        for (String event : streamEvents(call, content, pieceSize)) {
            byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
            int half = bytes.length / 2;
            chunks.add(new FakeUpstream.Reply.Chunk(java.util.Arrays.copyOfRange(bytes, 0, half), false));
            chunks.add(new FakeUpstream.Reply.Chunk(java.util.Arrays.copyOfRange(bytes, half, bytes.length), false));
        }
        return Reply.stream(chunks, gap);
    }

    /** The SSE events (each ending in a blank line) of {@link #streamedReply}, keep-alives midway included. */
    public static List<String> streamEvents(Call call, String content, int pieceSize) {
        try {
            List<String> data = Fixtures.text("openrouter/chat-stream.txt").lines()
                    .filter(l -> l.startsWith("data: {")).map(l -> l.substring(6)).toList();
            ObjectNode first = (ObjectNode) MAPPER.readTree(data.get(0));
            ObjectNode last = (ObjectNode) MAPPER.readTree(data.get(data.size() - 1));
            first.put("model", model(call));
            last.put("model", model(call));
            List<String> events = new ArrayList<>();
            int pieces = 0;
            for (int at = 0; at < content.length(); at += pieceSize) {
                int end = Math.min(content.length(), at + pieceSize);
                if (end < content.length() && Character.isHighSurrogate(content.charAt(end - 1))) {
                    end++;
                }
                ((ObjectNode) first.path("choices").get(0).path("delta")).put("content", content.substring(at, end));
                events.add("data: " + first + "\n\n");
                if (++pieces == 3) {
                    events.add(": OPENROUTER PROCESSING\n\n");
                }
                at = end - pieceSize;
            }
            events.add("data: " + last + "\n\n");
            events.add("data: [DONE]\n\n");
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The usage the streamed answers report, from the recorded last chunk. */
    public static JsonNode streamedUsage() {
        try {
            List<String> data = Fixtures.text("openrouter/chat-stream.txt").lines()
                    .filter(l -> l.startsWith("data: {")).toList();
            return MAPPER.readTree(data.get(data.size() - 1).substring(6)).path("usage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Valid MPEG-1 Layer III frames: 128 kbit/s, 44.1 kHz, 417 bytes and 1152 samples each. */
    public static byte[] mp3(int frames) {
        byte[] data = new byte[417 * frames];
        for (int f = 0; f < frames; f++) {
            data[f * 417] = (byte) 0xFF;
            data[f * 417 + 1] = (byte) 0xFB;
            data[f * 417 + 2] = (byte) 0x90;
            data[f * 417 + 3] = 0x00;
        }
        return data;
    }

    // ---- debates and the stream ----

    public static String startBody(String marketId, int rounds, String... models) {
        return startObject(marketId, rounds, models).toString();
    }

    /** A start body that sets {@code independent_first_round}. */
    public static String startBody(String marketId, int rounds, boolean independentFirstRound, String... models) {
        return startObject(marketId, rounds, models).put("independent_first_round", independentFirstRound).toString();
    }

    private static ObjectNode startObject(String marketId, int rounds, String... models) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("market_id", marketId);
        var ids = body.putArray("model_ids");
        for (String m : models) {
            ids.add(m);
        }
        body.put("rounds", rounds);
        return body;
    }

    /** What one stream connection received: status, headers and every event until the server closed it. */
    public record SseResult(int status, Map<String, List<String>> headers, String firstLine, List<SseEvent> events,
                     int keepAlives) {
    }

    private static final HttpClient SSE_CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static SseResult stream(String baseUrl, String debateId, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/debate/" + debateId + "/stream"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<java.io.InputStream> response = SSE_CLIENT.send(request.GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            List<SseEvent> events = new ArrayList<>();
            int keepAlives = 0;
            String firstLine = null;
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                SseEvent.Parser parser = new SseEvent.Parser();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (firstLine == null) {
                        firstLine = line;
                    }
                    if (line.equals(": keepalive")) {
                        keepAlives++;
                    }
                    parser.line(line).ifPresent(events::add);
                }
            }
            return new SseResult(response.statusCode(), response.headers().map(), firstLine, events, keepAlives);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a debate of {@code owner} on the binary market and returns its id. */
    public static String startDebate(TestServer server, TestUser owner, int rounds, String... models) {
        return debateId(server.http().post("/api/debate/start", startBody(BINARY_MARKET, rounds, models),
                owner.auth()));
    }

    /** Starts a debate of {@code owner} on the binary market with the first round independent or not. */
    public static String startDebate(TestServer server, TestUser owner, int rounds, boolean independentFirstRound,
                                     String... models) {
        return debateId(server.http().post("/api/debate/start",
                startBody(BINARY_MARKET, rounds, independentFirstRound, models), owner.auth()));
    }

    public static String debateId(TestResponse started) {
        if (started.status() != 201) {
            throw new AssertionError("start answered " + started.status() + ": " + started.body());
        }
        return started.json().path("debate_id").asText();
    }

    public static Path audioFile(TestServer server, String messageId) {
        return server.storage().resolve("audio").resolve(messageId + ".mp3");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        servers.forEach(TestServer::close);
        gamma.close();
        clob.close();
        openRouter.close();
        elevenLabs.close();
    }
}
