package com.polydebate.bench;

import com.polydebate.Main;
import com.polydebate.bench.InstanceBench.Server;
import com.polydebate.bench.InstanceBench.TimedEvent;
import com.polydebate.bench.InstanceBench.TimedStream;
import com.polydebate.debates.DebateHarness;
import com.polydebate.debates.DebateHooks;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.FreePort;
import com.polydebate.support.TestHttp;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: fail-over after {@code kill -9} of the instance running a debate. Instance A is a child JVM
 * ({@code java -cp … com.polydebate.Main}, as the process-kill journey test starts it); instance B runs in this JVM;
 * both share one PostgreSQL schema and the same {@code DEBATE_LEASE_SECONDS}. A 3 × 3 debate (fake model calls of
 * 800 ms, speech of 400 ms) starts on A; a viewer on B watches it; after the K-th message A is killed with
 * {@link Process#destroyForcibly()} (SIGKILL). Reported: the time from the kill to B's first committed event of the
 * debate ({@link DebateHooks#eventsCommitted}, same clock), to the viewer on B reading it, how much of A's lease was
 * left at the kill, and the rest (B noticing the expired lease). Each run checks that the debate then completes on B
 * with every turn exactly once and its events numbered without a gap.
 *
 * <pre>
 * mvn -q -B -o test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=com.polydebate.bench.FailoverBenchmark [-Dexec.args="LEASES RUNS KILL_AFTER MODEL_MS SPEECH_MS"]
 * </pre>
 * Defaults: leases "15,4" (seconds, comma-separated), 3 runs per lease, kill after the 3rd message, 800 ms, 400 ms.
 */
public final class FailoverBenchmark {
    private static final int MODELS = 3;
    private static final int ROUNDS = 3;
    private static final Duration LIMIT = Duration.ofSeconds(180);

    private FailoverBenchmark() {
    }

    /** B's first commit of each debate. */
    private static final class FirstCommits implements DebateHooks {
        final Map<String, Long> first = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();

        @Override
        public void eventsCommitted(String debateId, long lastSeq) {
            if (first.putIfAbsent(debateId, System.nanoTime()) == null) {
                latch(debateId).countDown();
            }
        }

        CountDownLatch latch(String debateId) {
            return waiting.computeIfAbsent(debateId, id -> new CountDownLatch(1));
        }
    }

    private record Result(double failoverS, double toViewerS, double leaseLeftS, double noticeS) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> leases = List.of((args.length > 0 ? args[0] : "15,4").split(",")).stream()
                .map(String::trim).map(Integer::parseInt).toList();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int killAfter = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int modelMs = args.length > 3 ? Integer.parseInt(args[3]) : 800;
        int speechMs = args.length > 4 ? Integer.parseInt(args[4]) : 400;
        InstanceBench.quietLogs();
        System.out.printf(Locale.ROOT, "kill -9 of the owner after message %d of a %d × %d debate (model %d ms, "
                + "speech %d ms); A = child JVM, B = this JVM, one PostgreSQL schema per lease length%n", killAfter,
                MODELS, ROUNDS, modelMs, speechMs);
        System.out.println("| lease s | run | kill → first event committed by B, s | kill → viewer on B reads it, s "
                + "| lease left at kill, s | B noticing the expiry, s | goal ≤ lease + 2 s | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        Map<Integer, List<Result>> all = new LinkedHashMap<>();
        try (DebateHarness fakes = new DebateHarness()) {
            fakes.answerAfter(Duration.ofMillis(modelMs));
            fakes.speech = call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(40))
                    .delayed(Duration.ofMillis(speechMs));
            for (int lease : leases) {
                Map<String, String> env = new HashMap<>(fakes.env());
                env.put("DAILY_DEBATE_LIMIT", "1000");
                env.put("DATABASE_URL", InstanceBench.freshPostgres());
                env.put("DEBATE_LEASE_SECONDS", String.valueOf(lease));
                env.put("MODEL_TIMEOUT_SECONDS", String.valueOf(Math.max(2, modelMs / 1000 + 2)));
                FirstCommits onB = new FirstCommits();
                Map<String, String> envB = new HashMap<>(env);
                envB.put("INSTANCE_ID", "bench-b");
                List<Result> results = new ArrayList<>();
                try (Server b = Server.start(envB, onB)) {
                    String[] owner = b.userAuth("bench@example.com");
                    for (int run = 1; run <= runs; run++) {
                        String load = InstanceBench.loadAverage();
                        Result r = run(b, onB, owner, env, "bench-a-" + lease + "-" + run, killAfter);
                        results.add(r);
                        System.out.printf(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.2f | %s | %s |%n", lease, run,
                                r.failoverS(), r.toViewerS(), r.leaseLeftS(), r.noticeS(),
                                r.failoverS() <= lease + 2 ? "met" : "missed", load);
                    }
                }
                all.put(lease, results);
            }
        }
        System.out.println();
        System.out.println("| lease s | runs | mean fail-over s | median s | max s | mean lease left s "
                + "| mean noticing s | max noticing s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        all.forEach((lease, list) -> {
            List<Double> failover = list.stream().map(Result::failoverS).toList();
            List<Double> notice = list.stream().map(Result::noticeS).toList();
            System.out.printf(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", lease, list.size(),
                    InstanceBench.mean(failover), InstanceBench.median(failover),
                    failover.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    InstanceBench.mean(list.stream().map(Result::leaseLeftS).toList()), InstanceBench.mean(notice),
                    notice.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        });
        System.exit(0);
    }

    private static Result run(Server b, FirstCommits onB, String[] owner, Map<String, String> env, String instanceA,
                              int killAfter) throws Exception {
        Path storage = Files.createTempDirectory("polydebate-failover");
        Map<String, String> envA = InstanceBench.baseEnv();
        envA.putAll(env);
        int port = FreePort.any();
        envA.put("PORT", String.valueOf(port));
        envA.put("STORAGE_DIR", storage.toString());
        envA.put("INSTANCE_ID", instanceA);
        Process a = launch(envA, storage);
        try {
            TestHttp http = new TestHttp("http://127.0.0.1:" + port);
            waitHealthy(a, http, storage);
            String id = DebateHarness.debateId(http.post("/api/debate/start", DebateHarness.startBody(
                    DebateHarness.BINARY_MARKET, ROUNDS, DebateHarness.MODEL_A, DebateHarness.MODEL_B,
                    DebateHarness.MODEL_C), owner));
            CountDownLatch killNow = new CountDownLatch(1);
            AtomicInteger messages = new AtomicInteger();
            CompletableFuture<TimedStream> viewer = CompletableFuture.supplyAsync(() ->
                    InstanceBench.stream(b.baseUrl(), id, LIMIT, e -> {
                        if (e.event().equals("message") && messages.incrementAndGet() == killAfter) {
                            killNow.countDown();
                        }
                        return true;
                    }));
            if (!killNow.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the viewer on B never saw message " + killAfter);
            }
            if (!instanceA.equals(b.leaseOwner(id)) || onB.first.containsKey(id)) {
                throw new IllegalStateException("debate " + id + " is not (only) run by A: lease owner "
                        + b.leaseOwner(id));
            }
            long killed = System.nanoTime();
            Instant killedAt = Instant.now();
            a.destroyForcibly();
            if (!a.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("A did not die");
            }
            long seqAtKill = b.lastSeq(id);
            String expires = b.jdbi().withHandle(h -> h.createQuery(
                    "SELECT lease_expires_at FROM debates WHERE debate_id = :id").bind("id", id)
                    .mapTo(String.class).one());
            double leaseLeft = Duration.between(killedAt, Instant.parse(expires)).toNanos() / 1e9;
            if (!onB.latch(id).await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("B never took debate " + id + " over");
            }
            double failover = (onB.first.get(id) - killed) / 1e9;
            TimedStream seen = viewer.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            check(id, seen);
            TimedEvent next = seen.events().stream().filter(e -> e.seq() == seqAtKill + 1).findFirst().orElseThrow();
            return new Result(failover, (next.nanos() - killed) / 1e9, leaseLeft, failover - leaseLeft);
        } finally {
            a.destroyForcibly();
            a.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The whole stream as B served it: seq 1..n without a gap, every turn exactly once, then debate_complete. */
    private static void check(String id, TimedStream seen) {
        if (!seen.endedWith("debate_complete")) {
            throw new IllegalStateException("debate " + id + " did not complete: " + seen.failure());
        }
        Set<String> turns = new HashSet<>();
        int messages = 0;
        for (int i = 0; i < seen.events().size(); i++) {
            TimedEvent e = seen.events().get(i);
            if (e.seq() != i + 1) {
                throw new IllegalStateException("debate " + id + ": event " + (i + 1) + " has seq " + e.seq());
            }
            if (e.event().equals("message")) {
                messages++;
                String data = e.data();
                turns.add(field(data, "\"round\":") + "/" + field(data, "\"model_id\":"));
            }
        }
        if (messages != MODELS * ROUNDS || turns.size() != MODELS * ROUNDS) {
            throw new IllegalStateException("debate " + id + ": " + messages + " messages over " + turns.size()
                    + " distinct turns");
        }
    }

    private static String field(String json, String key) {
        int at = json.indexOf(key);
        if (at < 0) {
            return "?";
        }
        int end = at + key.length();
        while (end < json.length() && json.charAt(end) != ',' && json.charAt(end) != '}') {
            end++;
        }
        return json.substring(at + key.length(), end);
    }

    private static Process launch(Map<String, String> env, Path storage) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", InstanceBench.classPath(), Main.class.getName())
                .directory(storage.toFile()).redirectErrorStream(true)
                .redirectOutput(storage.resolve("a.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void waitHealthy(Process a, TestHttp http, Path storage) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!a.isAlive()) {
                throw new IllegalStateException("A exited: " + Files.readString(storage.resolve("a.log")));
            }
            try {
                if (http.get("/api/health").status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYetListening) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("A did not answer its health check: " + Files.readString(storage.resolve("a.log")));
    }
}
