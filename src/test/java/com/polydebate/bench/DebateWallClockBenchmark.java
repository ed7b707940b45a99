package com.polydebate.bench;

import com.polydebate.bench.InstanceBench.Server;
import com.polydebate.bench.InstanceBench.TimedStream;
import com.polydebate.debates.DebateHarness;
import com.polydebate.debates.DebateHooks;
import com.polydebate.support.FakeUpstream.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not a test: the wall-clock of a 3 models × 3 rounds debate (fake model calls of 800 ms, fake speech of 400 ms) on
 * SQLite and on PostgreSQL, alternating run by run, from {@code POST /api/debate/start} to {@code debate_complete} on
 * the SSE stream. Both servers run in this JVM against the same fakes; one debate runs at a time.
 *
 * <p>The pipelined bound is what the fakes alone take: with an independent first round (the default since issue 14)
 * the three round-1 calls run together, so it is one model call for round 1, one per turn after it, and the last
 * speech call (0.8 + 6 × 0.8 + 0.4 = 6.0 s); with round 1 in turn ({@code in-turn}) it is 9 × 0.8 + 0.4 = 7.6 s.
 *
 * <p>Each run is also split along its critical path, from the fakes' side: <em>head</em> (start request → first
 * model request), <em>gap</em> (a model answer leaving the fake → the next model request arriving: the job's
 * per-turn overhead; for the first request after a blind round 1, counted from the last round-1 request), <em>speech lag</em> (the last model answer → the last speech request) and <em>tail</em> (the
 * last speech answer → {@code debate_complete} read by the client), itself split at the commits of the last message
 * and of {@code debate_complete} ({@link DebateHooks#eventsCommitted}): emitting the last message, then finishing the
 * debate and storing its results, then delivering the event.
 *
 * <pre>
 * mvn -q -B -o test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=com.polydebate.bench.DebateWallClockBenchmark \
 *     [-Dexec.args="RUNS MODEL_MS SPEECH_MS WARMUP_RUNS independent|in-turn"]
 * </pre>
 * Defaults: 5 runs per database, 800 ms, 400 ms, 1 warm-up run per database (not counted), independent first round.
 */
public final class DebateWallClockBenchmark {
    private static final int MODELS = 3;
    private static final int ROUNDS = 3;

    private DebateWallClockBenchmark() {
    }

    private record Run(double seconds, double headMs, List<Double> gapsMs, double speechLagMs, double tailMs,
                       double lastMessageMs, double completeMs, double deliveryMs) {
    }

    /** When each append of each debate was committed, by its last seq. */
    private static final class Commits implements DebateHooks {
        final Map<String, Map<Long, Long>> byDebate = new ConcurrentHashMap<>();

        @Override
        public void eventsCommitted(String debateId, long lastSeq) {
            byDebate.computeIfAbsent(debateId, id -> new ConcurrentHashMap<>()).put(lastSeq, System.nanoTime());
        }

        /** The commit of the append that holds {@code seq}. */
        long at(String debateId, long seq) {
            return byDebate.get(debateId).entrySet().stream().filter(e -> e.getKey() >= seq)
                    .min(Map.Entry.comparingByKey()).orElseThrow().getValue();
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int modelMs = args.length > 1 ? Integer.parseInt(args[1]) : 800;
        int speechMs = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        boolean independent = args.length <= 4 || switch (args[4]) {
            case "independent" -> true;
            case "in-turn" -> false;
            default -> throw new IllegalArgumentException("mode must be independent or in-turn: " + args[4]);
        };
        InstanceBench.quietLogs();
        try (DebateHarness fakes = new DebateHarness()) {
            List<Long> modelArrivals = Collections.synchronizedList(new ArrayList<>());
            List<Long> speechArrivals = Collections.synchronizedList(new ArrayList<>());
            fakes.chat = call -> {
                modelArrivals.add(System.nanoTime());
                return DebateHarness.defaultReply(call).delayed(Duration.ofMillis(modelMs));
            };
            // As in production, where the catalogue is cached: the harness's /models answers 503, which made every
            // start pay an upstream round trip before the debate was even stored.
            fakes.openRouter.on("GET", "/models", call -> Reply.json(200, catalogue()));
            fakes.speech = call -> {
                speechArrivals.add(System.nanoTime());
                return Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(40)).delayed(Duration.ofMillis(speechMs));
            };
            Map<String, String> env = new LinkedHashMap<>(fakes.env());
            env.put("DAILY_DEBATE_LIMIT", "1000");
            env.put("MODEL_TIMEOUT_SECONDS", String.valueOf(Math.max(2, modelMs / 1000 + 2)));
            Commits commits = new Commits();
            Map<String, Server> servers = new LinkedHashMap<>();
            servers.put("SQLite", Server.start(env, commits));
            Map<String, String> onPostgres = new LinkedHashMap<>(env);
            onPostgres.put("DATABASE_URL", InstanceBench.freshPostgres());
            servers.put("PostgreSQL", Server.start(onPostgres, commits));
            Map<String, String[]> owners = new LinkedHashMap<>();
            servers.forEach((name, server) -> owners.put(name, server.userAuth("bench@example.com")));

            int sequentialCalls = independent ? 1 + MODELS * (ROUNDS - 1) : MODELS * ROUNDS;
            double pipelined = (sequentialCalls * modelMs + speechMs) / 1000.0;
            double serial = MODELS * ROUNDS * (modelMs + speechMs) / 1000.0;
            System.out.printf(Locale.ROOT, "%d × %d debate, %s, model %d ms, speech %d ms: serial bound %.1f s, "
                    + "pipelined bound %.1f s; %d warm-up + %d measured runs per database, alternating%n", MODELS,
                    ROUNDS, independent ? "independent first round" : "round 1 in turn", modelMs, speechMs, serial,
                    pipelined, warmups, runs);
            System.out.println("| run | database | seconds | head ms | gap p50 / max ms | speech lag ms | tail ms "
                    + "| tail: last message committed / complete committed / read ms | load avg |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            Map<String, List<Run>> results = new LinkedHashMap<>();
            servers.keySet().forEach(name -> results.put(name, new ArrayList<>()));
            for (int i = 0; i < warmups + runs; i++) {
                // Alternate which database goes first, so that neither always follows the other.
                List<String> order = new ArrayList<>(servers.keySet());
                if (i % 2 == 1) {
                    Collections.reverse(order);
                }
                for (String name : order) {
                    String load = InstanceBench.loadAverage();
                    modelArrivals.clear();
                    speechArrivals.clear();
                    Run run = run(servers.get(name), owners.get(name), independent, modelMs, speechMs,
                            modelArrivals, speechArrivals, commits);
                    boolean measured = i >= warmups;
                    if (measured) {
                        results.get(name).add(run);
                    }
                    List<Double> gaps = new ArrayList<>(run.gapsMs());
                    Collections.sort(gaps);
                    System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.0f | %.1f / %.1f | %.1f | %.1f "
                                    + "| %.1f / %.1f / %.1f | %s |%n",
                            measured ? String.valueOf(i - warmups + 1) : "warm-up", name, run.seconds(), run.headMs(),
                            InstanceBench.percentile(gaps, 50), gaps.get(gaps.size() - 1), run.speechLagMs(),
                            run.tailMs(), run.lastMessageMs(), run.completeMs(), run.deliveryMs(), load);
                }
            }
            System.out.println();
            System.out.println("| database | runs | mean s | median s | min s | max s | median vs bound "
                    + "| mean head ms | mean gap ms | mean tail ms "
                    + "| mean tail: last message committed / complete committed / read ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            results.forEach((name, list) -> {
                List<Double> seconds = list.stream().map(Run::seconds).toList();
                System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %+.1f %% | %.1f | %.1f | %.1f "
                                + "| %.1f / %.1f / %.1f |%n", name,
                        list.size(), InstanceBench.mean(seconds), InstanceBench.median(seconds),
                        Collections.min(seconds), Collections.max(seconds),
                        (InstanceBench.median(seconds) / pipelined - 1) * 100,
                        InstanceBench.mean(list.stream().map(Run::headMs).toList()),
                        InstanceBench.mean(list.stream().flatMap(r -> r.gapsMs().stream()).toList()),
                        InstanceBench.mean(list.stream().map(Run::tailMs).toList()),
                        InstanceBench.mean(list.stream().map(Run::lastMessageMs).toList()),
                        InstanceBench.mean(list.stream().map(Run::completeMs).toList()),
                        InstanceBench.mean(list.stream().map(Run::deliveryMs).toList()));
            });
            List<Double> sqlite = results.get("SQLite").stream().map(Run::seconds).toList();
            List<Double> postgres = results.get("PostgreSQL").stream().map(Run::seconds).toList();
            System.out.printf(Locale.ROOT, "PostgreSQL / SQLite: mean %.4f (%+.2f %%), median %.4f (%+.2f %%); "
                            + "pipelined bound %.1f s%n",
                    InstanceBench.mean(postgres) / InstanceBench.mean(sqlite),
                    (InstanceBench.mean(postgres) / InstanceBench.mean(sqlite) - 1) * 100,
                    InstanceBench.median(postgres) / InstanceBench.median(sqlite),
                    (InstanceBench.median(postgres) / InstanceBench.median(sqlite) - 1) * 100, pipelined);
            servers.values().forEach(Server::close);
        }
        System.exit(0);
    }

    /** An OpenRouter catalogue that lists the three debating models, priced under the default ceiling. */
    private static String catalogue() {
        StringBuilder data = new StringBuilder();
        for (String id : List.of(DebateHarness.MODEL_A, DebateHarness.MODEL_B, DebateHarness.MODEL_C)) {
            data.append(data.length() == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"name\":\"")
                    .append(id).append("\",\"context_length\":128000,\"pricing\":{\"prompt\":\"0.0000001\","
                            + "\"completion\":\"0.0000004\"}}");
        }
        return "{\"data\":[" + data + "]}";
    }

    private static Run run(Server server, String[] owner, boolean independent, int modelMs, int speechMs,
                           List<Long> modelArrivals, List<Long> speechArrivals, Commits commits) {
        long t0 = System.nanoTime();
        String id = DebateHarness.debateId(server.http().post("/api/debate/start", DebateHarness.startBody(
                DebateHarness.BINARY_MARKET, ROUNDS, independent, DebateHarness.MODEL_A, DebateHarness.MODEL_B,
                DebateHarness.MODEL_C), owner));
        TimedStream stream = InstanceBench.stream(server.baseUrl(), id, Duration.ofSeconds(120), e -> true);
        if (!stream.endedWith("debate_complete")) {
            throw new IllegalStateException("debate " + id + " did not complete: " + stream.failure() + " "
                    + stream.events());
        }
        long end = stream.events().get(stream.events().size() - 1).nanos();
        long messages = stream.events().stream().filter(e -> e.event().equals("message")).count();
        if (messages != MODELS * ROUNDS || modelArrivals.size() != MODELS * ROUNDS
                || speechArrivals.size() != MODELS * ROUNDS) {
            throw new IllegalStateException("expected " + MODELS * ROUNDS + " messages, model and speech calls; got "
                    + messages + ", " + modelArrivals.size() + ", " + speechArrivals.size());
        }
        List<Long> models = new ArrayList<>(modelArrivals);
        List<Long> speeches = new ArrayList<>(speechArrivals);
        Collections.sort(models);
        Collections.sort(speeches);
        List<Double> gaps = new ArrayList<>();
        // The round-1 requests of an independent first round leave together: no gap between them.
        for (int i = independent ? MODELS : 1; i < models.size(); i++) {
            gaps.add((models.get(i) - models.get(i - 1)) / 1e6 - modelMs);
        }
        long lastModel = models.get(models.size() - 1);
        long lastSpeech = speeches.get(speeches.size() - 1);
        long lastMessageSeq = stream.events().stream().filter(e -> e.event().equals("message"))
                .mapToLong(InstanceBench.TimedEvent::seq).max().orElseThrow();
        long lastMessage = commits.at(id, lastMessageSeq);
        long complete = commits.at(id, stream.events().get(stream.events().size() - 1).seq());
        return new Run((end - t0) / 1e9, (models.get(0) - t0) / 1e6, gaps, (lastSpeech - lastModel) / 1e6 - modelMs,
                (end - lastSpeech) / 1e6 - speechMs, (lastMessage - lastSpeech) / 1e6 - speechMs,
                (complete - lastMessage) / 1e6, (end - complete) / 1e6);
    }
}
