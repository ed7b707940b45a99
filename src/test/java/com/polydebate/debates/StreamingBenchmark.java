package com.polydebate.debates;

import static com.polydebate.debates.BenchmarkSupport.loadAverage;
import static com.polydebate.debates.BenchmarkSupport.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Call;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: issue 15's benchmark. (a) One debate watched by N SSE viewers (default 1,000) while one model streams
 * its answer: for every delta a viewer reads, the time from each content chunk it carries leaving the fake
 * OpenRouter to the viewer reading it (p50/p99), at two chunk rates. (b) The wall-clock of a 3 × 2 debate whose
 * calls take ~800 ms either streamed (~80 chunks, 10 ms apart) or as one JSON body after 800 ms, runs alternating.
 * Run: mvn -q -o test-compile exec:java -Dexec.classpathScope=test
 *          -Dexec.mainClass=com.polydebate.debates.StreamingBenchmark [-Dexec.args="1000"]
 */
public final class StreamingBenchmark {
    private static final String ARGUMENT = "Streaming lets every viewer read the argument while the model is still "
            + "writing it, which matters most for slow reasoning models where a full answer takes tens of seconds, "
            + "and the odds near 39.78% suggest the market already prices most of the known news. More follows here.";

    private static final String OFFSET = "\"offset\":";
    private static final String DELTA = "\"delta\":\"";

    private StreamingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.println("load average before: " + loadAverage());
        latency(100, 60);
        latency(viewers, 60);
        latency(viewers, 20);
        wallClock();
        System.out.println("load average after: " + loadAverage());
        System.exit(0);
    }

    private static String answer(Call call) {
        ObjectNode answer = DebateHarness.MAPPER.createObjectNode();
        answer.put("argument", ARGUMENT);
        ObjectNode predictions = answer.putObject("predictions");
        List<String> names = DebateHarness.outcomeNames(call);
        for (int i = 0; i < names.size(); i++) {
            predictions.put(names.get(i), i == 0 ? 60 : 40);
        }
        return answer.toString();
    }

    /** (a) chunks {@code gapMillis} apart; the stream holds until every viewer is connected. */
    private static void latency(int viewerCount, long gapMillis) throws Exception {
        try (DebateHarness fakes = new DebateHarness()) {
            CountDownLatch viewersReady = new CountDownLatch(1);
            // sentAt[k] = when the chunk that brought the argument to length k left the fake (0 if none did).
            long[] sentAt = new long[ARGUMENT.length() + 1];
            fakes.chat = call -> {
                try {
                    viewersReady.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                List<FakeUpstream.Reply.Chunk> chunks = new ArrayList<>();
                StringBuilder content = new StringBuilder();
                ArgumentStream argument = new ArgumentStream();
                for (String event : DebateHarness.streamEvents(call, answer(call), 8)) {
                    int length = lengthAfter(event, content, argument);
                    chunks.add(new FakeUpstream.Reply.Chunk(event.getBytes(StandardCharsets.UTF_8), false,
                            at -> {
                                if (length > 0 && sentAt[length] == 0) {
                                    sentAt[length] = at;
                                }
                            }));
                }
                return Reply.stream(chunks, Duration.ofMillis(gapMillis));
            };
            fakes.speech = call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(40));
            try (TestServer server = fakes.server().env("MODEL_TIMEOUT_SECONDS", "120").start()) {
                TestUser owner = server.createUser("bench@example.com");
                String id = DebateHarness.debateId(server.http().post("/api/debate/start",
                        DebateHarness.startBody(DebateHarness.BINARY_MARKET, 1, DebateHarness.MODEL_A), owner.auth()));
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI uri = URI.create(server.baseUrl() + "/api/debate/" + id + "/stream");
                CountDownLatch connected = new CountDownLatch(viewerCount);
                CountDownLatch finished = new CountDownLatch(viewerCount);
                List<long[]> received = Collections.synchronizedList(new ArrayList<>());
                List<String> failures = Collections.synchronizedList(new ArrayList<>());
                for (int v = 0; v < viewerCount; v++) {
                    Thread reader = new Thread(() -> read(client, uri, connected, received, failures, finished),
                            "viewer-" + v);
                    reader.setDaemon(true);
                    reader.start();
                    if (v % 100 == 99) {
                        Thread.sleep(50);
                    }
                }
                if (!connected.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + (viewerCount - connected.getCount()) + " connected");
                }
                String loadAtStart = loadAverage();
                viewersReady.countDown();
                if (!finished.await(300, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("viewers did not finish");
                }
                List<Long> latencies = new ArrayList<>();
                for (long[] delta : received) {
                    // delta = {from, to, readAt}: every chunk that brought the text into (from, to] is carried here.
                    for (int k = (int) delta[0] + 1; k <= delta[1]; k++) {
                        if (sentAt[k] != 0) {
                            latencies.add(delta[2] - sentAt[k]);
                        }
                    }
                }
                Collections.sort(latencies);
                long deltas = received.size();
                System.out.printf(Locale.ROOT, "(a) %d viewers, chunks %d ms apart: %d deltas read (%.1f per viewer), "
                                + "chunk left the fake -> delta read by a viewer: p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                                + "(%d chunk arrivals); %d viewer failures; load average at start %s%n",
                        viewerCount, gapMillis, deltas, deltas / (double) viewerCount,
                        percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6,
                        latencies.get(latencies.size() - 1) / 1e6, latencies.size(), failures.size(), loadAtStart);
            }
        }
    }

    /** Feeds one SSE event's content to the argument parser; the argument's length after it (0: no content). */
    static int lengthAfter(String event, StringBuilder content, ArgumentStream argument) {
        if (!event.startsWith("data: {")) {
            return 0;
        }
        try {
            JsonNode piece = DebateHarness.MAPPER.readTree(event.substring(6)).path("choices").path(0).path("delta")
                    .path("content");
            if (!piece.isTextual() || piece.asText().isEmpty()) {
                return 0;
            }
            content.append(piece.asText());
            return argument.feed(piece.asText()).length();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void read(HttpClient client, URI uri, CountDownLatch connected, List<long[]> received,
                             List<String> failures, CountDownLatch finished) {
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                boolean delta = false;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("retry:")) {
                        connected.countDown();
                    } else if (line.equals("event: message_delta")) {
                        delta = true;
                    } else if (line.startsWith("event: ")) {
                        delta = false;
                    } else if (delta && line.startsWith("data: ")) {
                        long now = System.nanoTime();
                        // The argument has no character JSON escapes, so the delta's length is read off the line
                        // without parsing it: 1,000 readers parsing JSON would mostly measure themselves.
                        int at = line.indexOf(OFFSET) + OFFSET.length();
                        int offset = Integer.parseInt(line.substring(at, line.indexOf(',', at)));
                        int deltaStart = line.indexOf(DELTA, at) + DELTA.length();
                        int to = offset + (line.length() - 2 - deltaStart);
                        received.add(new long[] {offset, to, now});
                    }
                }
            }
        } catch (Exception e) {
            failures.add(e.toString());
            connected.countDown();
        } finally {
            finished.countDown();
        }
    }

    /** (b) 3 models × 2 rounds, calls of ~800 ms, streamed or one JSON body, alternating on one server. */
    private static void wallClock() throws Exception {
        try (DebateHarness fakes = new DebateHarness()) {
            boolean[] streamed = {false};
            fakes.chat = call -> {
                if (streamed[0]) {
                    // ~40 events, each sent as two chunks, 10 ms apart: about 0.8 s in all, like the JSON body.
                    String content = answer(call);
                    return DebateHarness.streamedReply(call, content, Math.max(1, content.length() / 40 + 1),
                            Duration.ofMillis(10));
                }
                return Reply.json(200, DebateHarness.completion(call, answer(call))).delayed(Duration.ofMillis(800));
            };
            fakes.speech = call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(40)).delayed(Duration.ofMillis(400));
            try (TestServer server = fakes.server().env("DAILY_DEBATE_LIMIT", "100").env("MODEL_TIMEOUT_SECONDS", "60")
                    .start()) {
                TestUser owner = server.createUser("bench@example.com");
                List<Double> plain = new ArrayList<>();
                List<Double> stream = new ArrayList<>();
                for (int run = 0; run < 6; run++) {
                    streamed[0] = run % 2 == 1;
                    long t0 = System.nanoTime();
                    String id = DebateHarness.debateId(server.http().post("/api/debate/start",
                            DebateHarness.startBody(DebateHarness.BINARY_MARKET, 2, DebateHarness.MODEL_A,
                                    DebateHarness.MODEL_B, DebateHarness.MODEL_C), owner.auth()));
                    DebateHarness.SseResult result = DebateHarness.stream(server.baseUrl(), id, null);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    String last = result.events().get(result.events().size() - 1).event();
                    if (!last.equals("debate_complete")) {
                        throw new IllegalStateException("debate ended with " + last);
                    }
                    (streamed[0] ? stream : plain).add(seconds);
                    System.out.printf(Locale.ROOT, "(b) run %d, %s: %.2f s%n", run / 2 + 1,
                            streamed[0] ? "streamed" : "one JSON body", seconds);
                }
                Collections.sort(plain);
                Collections.sort(stream);
                double p = plain.get(plain.size() / 2);
                double s = stream.get(stream.size() / 2);
                System.out.printf(Locale.ROOT, "(b) median one JSON body %.2f s, streamed %.2f s: %+.1f%%%n", p, s,
                        (s / p - 1) * 100);
            }
        }
    }
}
