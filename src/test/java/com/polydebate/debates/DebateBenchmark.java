package com.polydebate.debates;

import static com.polydebate.debates.BenchmarkSupport.classPath;
import static com.polydebate.debates.BenchmarkSupport.loadAverage;
import static com.polydebate.debates.BenchmarkSupport.percentile;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: measures (a) the wall-clock of a 3 × 3 debate with fake latencies (800 ms per model call, 400 ms per
 * speech call) with round 1 in turn and with the independent first round, against their pipelined bounds (7.6 s:
 * 9 × 0.8 + 0.4; 6.0 s: 0.8 for round 1, 6 × 0.8, + 0.4), and (b) one debate watched by many SSE viewers on loopback.
 * Run: mvn -q -o test-compile exec:java -Dexec.classpathScope=test
 *          -Dexec.mainClass=com.polydebate.debates.DebateBenchmark [-Dexec.args="1000" | -Dexec.args="wall-clock"]
 */
public final class DebateBenchmark {
    private DebateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // The fakes are JDK HttpServers, which write headers and body separately; without TCP_NODELAY every fake
        // answer waits ~40 ms for a delayed ACK (Nagle), which is an artefact of the fake, not of the engine.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        if (args.length == 3 && args[0].equals("viewers")) {
            viewers(args[1], Integer.parseInt(args[2]));
            System.exit(0);
        }
        if (args.length == 1 && args[0].equals("wall-clock")) {
            wallClock();
            System.exit(0);
        }
        int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        wallClock();
        fanOut(viewers);
        System.exit(0);
    }

    /**
     * (a) Runs alternate between round 1 in turn ({@code independent_first_round: false}, the behaviour before
     * issue 14) and the independent first round, on one server, so both see the same machine load.
     */
    private static void wallClock() throws Exception {
        try (DebateHarness fakes = new DebateHarness()) {
            List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
            fakes.chat = call -> {
                arrivals.add(System.nanoTime());
                return DebateHarness.defaultReply(call).delayed(Duration.ofMillis(800));
            };
            fakes.speech = call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(40)).delayed(Duration.ofMillis(400));
            try (TestServer server = fakes.server().env("DAILY_DEBATE_LIMIT", "100").start()) {
                TestUser owner = server.createUser("bench@example.com");
                System.out.println("(a) load average before: " + loadAverage());
                Map<Boolean, List<Double>> runs = new TreeMap<>();
                Map<Boolean, List<Long>> gaps = new TreeMap<>();
                List<Long> roundOneSpreads = new ArrayList<>();
                for (int run = 0; run < 6; run++) {
                    boolean independent = run % 2 == 1;
                    arrivals.clear();
                    long t0 = System.nanoTime();
                    String id = DebateHarness.debateId(server.http().post("/api/debate/start",
                            DebateHarness.startBody(DebateHarness.BINARY_MARKET, 3, independent, DebateHarness.MODEL_A,
                                    DebateHarness.MODEL_B, DebateHarness.MODEL_C), owner.auth()));
                    DebateHarness.SseResult result = DebateHarness.stream(server.baseUrl(), id, null);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    String last = result.events().get(result.events().size() - 1).event();
                    if (!last.equals("debate_complete")) {
                        throw new IllegalStateException("debate ended with " + last);
                    }
                    runs.computeIfAbsent(independent, k -> new ArrayList<>()).add(seconds);
                    List<Long> sorted = new ArrayList<>(arrivals);
                    Collections.sort(sorted);
                    // A request waits for the answer before it (in turn) or for all three round-1 answers (the first
                    // round-2 request of an independent round 1); the gap is what the engine adds to the 800 ms.
                    int chainStart = independent ? 3 : 1;
                    if (independent) {
                        roundOneSpreads.add((sorted.get(2) - sorted.get(0)) / 1_000_000);
                    }
                    for (int i = chainStart; i < sorted.size(); i++) {
                        gaps.computeIfAbsent(independent, k -> new ArrayList<>())
                                .add((sorted.get(i) - sorted.get(i - 1)) / 1_000_000 - 800);
                    }
                    System.out.printf(Locale.ROOT, "(a) run %d, %s: %.2f s (start request -> debate_complete)%n",
                            run / 2 + 1, independent ? "independent first round" : "round 1 in turn", seconds);
                }
                System.out.println("(a) load average after: " + loadAverage());
                for (boolean independent : List.of(false, true)) {
                    List<Double> times = runs.get(independent);
                    List<Long> waits = gaps.get(independent);
                    Collections.sort(times);
                    Collections.sort(waits);
                    double bound = independent ? 6.0 : 7.6;
                    System.out.printf(Locale.ROOT, "(a) %s: median %.2f s of %s; pipelined bound %.1f s (%+.1f%%); "
                                    + "engine gap after an answer p50 %d ms, max %d ms%n",
                            independent ? "independent first round (after)" : "round 1 in turn (before)",
                            times.get(times.size() / 2), times.stream()
                                    .map(t -> String.format(Locale.ROOT, "%.2f", t)).toList(), bound, (times.get(times.size() / 2) / bound - 1) * 100,
                            waits.get(waits.size() / 2), waits.get(waits.size() - 1));
                }
                Collections.sort(roundOneSpreads);
                System.out.printf(Locale.ROOT, "(a) the three round-1 requests reached the fake within %d ms of each "
                        + "other (max over runs)%n", roundOneSpreads.get(roundOneSpreads.size() - 1));
            }
        }
    }

    private static void fanOut(int viewerCount) throws Exception {
        try (DebateHarness fakes = new DebateHarness()) {
            fakes.answerAfter(Duration.ofMillis(200));
            fakes.speech = call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(40)).delayed(Duration.ofMillis(100));
            try (TestServer server = fakes.server().start()) {
                TestUser owner = server.createUser("bench@example.com");
                String id = DebateHarness.debateId(server.http().post("/api/debate/start",
                        DebateHarness.startBody(DebateHarness.BINARY_MARKET, 2, DebateHarness.MODEL_A,
                                DebateHarness.MODEL_B), owner.auth()));
                server.http().post("/api/debate/" + id + "/pause", null, owner.auth());
                System.gc();
                Thread.sleep(500);
                long rssBefore = rssKb();
                // The viewers run in a child JVM so that the RSS measured here is the server's alone.
                Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xss256k", "-cp", classPath(), DebateBenchmark.class.getName(),
                        "viewers", server.baseUrl() + "/api/debate/" + id + "/stream", String.valueOf(viewerCount))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = childOut.readLine();
                if (line == null || !line.equals("connected")) {
                    throw new IllegalStateException("viewer process: " + line);
                }
                System.gc();
                Thread.sleep(1000);
                long rssConnected = rssKb();
                long replayedUpTo = server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT last_event_seq FROM debates WHERE debate_id = :id").bind("id", id)
                        .mapTo(Long.class).one());
                server.http().post("/api/debate/" + id + "/resume", null, owner.auth());
                child.getOutputStream().write((replayedUpTo + "\n").getBytes(StandardCharsets.UTF_8));
                child.getOutputStream().flush();
                while ((line = childOut.readLine()) != null) {
                    System.out.println(line);
                }
                child.waitFor(120, TimeUnit.SECONDS);
                System.out.printf(Locale.ROOT, "(b) server RSS before viewers %d MiB, with %d viewers connected %d MiB: "
                                + "+%d MiB%n", rssBefore / 1024, viewerCount, rssConnected / 1024,
                        (rssConnected - rssBefore) / 1024);
            }
        }
    }

    /** Child-process side of (b): connects the viewers, reports, waits for the replay cursor, then measures. */
    private static void viewers(String url, int viewerCount) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(url);
        CountDownLatch connected = new CountDownLatch(viewerCount);
        CountDownLatch finished = new CountDownLatch(viewerCount);
        List<List<String>> sequences = Collections.synchronizedList(new ArrayList<>());
        ConcurrentHashMap<Long, long[]> firstLast = new ConcurrentHashMap<>();
        for (int v = 0; v < viewerCount; v++) {
            Thread reader = new Thread(() -> {
                List<String> seen = new ArrayList<>();
                try {
                    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.startsWith("retry:")) {
                                connected.countDown();
                            } else if (line.startsWith("id: ")) {
                                long now = System.nanoTime();
                                long seq = Long.parseLong(line.substring(4));
                                firstLast.compute(seq, (k, span) -> span == null ? new long[] {now, now}
                                        : new long[] {Math.min(span[0], now), Math.max(span[1], now)});
                                seen.add(line);
                            } else if (line.startsWith("event: ") || line.startsWith("data: ")) {
                                seen.add(line);
                            }
                        }
                    }
                } catch (Exception e) {
                    seen.add("failed: " + e);
                } finally {
                    sequences.add(seen);
                    finished.countDown();
                }
            }, "viewer-" + v);
            reader.setDaemon(true);
            reader.start();
            if (v % 100 == 99) {
                Thread.sleep(50);
            }
        }
        if (!connected.await(60, TimeUnit.SECONDS)) {
            System.out.println("only " + (viewerCount - connected.getCount()) + " viewers connected");
            return;
        }
        System.out.println("connected");
        System.out.flush();
        long replayedUpTo = Long.parseLong(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                .readLine().strip());
        if (!finished.await(120, TimeUnit.SECONDS)) {
            System.out.println("viewers did not finish");
            return;
        }
        List<String> reference = sequences.get(0);
        long identical = sequences.stream().filter(reference::equals).count();
        List<Long> spreads = new ArrayList<>();
        // Events replayed at connection time (before resume) are excluded: only live fan-out is measured.
        firstLast.forEach((seq, span) -> {
            if (seq > replayedUpTo) {
                spreads.add(span[1] - span[0]);
            }
        });
        Collections.sort(spreads);
        System.out.printf(Locale.ROOT, "(b) %d viewers: %d identical sequences of %d events%n", viewerCount,
                identical, reference.stream().filter(l -> l.startsWith("id: ")).count());
        System.out.printf(Locale.ROOT, "(b) first-to-last viewer spread per live event: p50 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms (%d live events)%n", percentile(spreads, 50) / 1e6, percentile(spreads, 99) / 1e6,
                spreads.get(spreads.size() - 1) / 1e6, spreads.size());
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
