package com.polydebate.bench;

import com.polydebate.bench.InstanceBench.Server;
import com.polydebate.bench.InstanceBench.TimedEvent;
import com.polydebate.bench.InstanceBench.TimedStream;
import com.polydebate.debates.DebateHarness;
import com.polydebate.debates.DebateHooks;
import com.polydebate.support.FakeUpstream.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Not a test: two instances (A and B, two servers in this JVM, each with its own pool, engine, LISTEN connection and
 * event hub) on one PostgreSQL schema, the way two replicas share one database.
 *
 * <p>(3) Cross-instance delivery latency: debates run on A; one viewer on A and one on B. For every event, the time
 * from its commit on A (taken by {@link DebateHooks#eventsCommitted} right after the transaction returns) to the moment
 * the viewer's client has read it, on this JVM's {@link System#nanoTime()}. Events replayed from the log when a viewer
 * connected are left out. The viewer on A measures local delivery, the one on B the NOTIFY/LISTEN relay.
 *
 * <p>(4) One debate watched by N viewers, half connected to A and half to B, from a child JVM: every viewer must get
 * the identical stream (the benchmark fails otherwise); it reports the first-to-last delivery spread per live event,
 * commit-to-viewer latency per instance, and errors; {@code debate_complete}, which also closes every connection,
 * has its own row. Commits are timed on both instances (either may run the debate after the resume). The child's {@code nanoTime} is the same CLOCK_MONOTONIC as this
 * JVM's (Linux), so its receive times compare with the commit times taken here.
 *
 * <pre>
 * mvn -q -B -o test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=com.polydebate.bench.TwoInstancesBenchmark \
 *     [-Dexec.args="LATENCY_DEBATES ROUNDS VIEWERS MODEL_MS SPEECH_MS"]
 * </pre>
 * Defaults: 5 debates of 3 models × 10 rounds for (3), 1,000 viewers on a 3 × 3 debate for (4), fake model calls of
 * 200 ms and speech of 100 ms. A latency run of 0 debates or 0 viewers skips that part.
 */
public final class TwoInstancesBenchmark {
    private static final Duration LIMIT = Duration.ofSeconds(180);

    private TwoInstancesBenchmark() {
    }

    /** Commit times by debate and last seq of each committed batch, with how many batches each instance committed. */
    private static final class Commits {
        final Map<String, ConcurrentSkipListMap<Long, Long>> byDebate = new ConcurrentHashMap<>();
        final Map<String, Map<String, AtomicLong>> batches = new ConcurrentHashMap<>();

        /** The hook of one instance; every instance records into the same timeline. */
        DebateHooks on(String instance) {
            return new DebateHooks() {
                @Override
                public void eventsCommitted(String debateId, long lastSeq) {
                    byDebate.computeIfAbsent(debateId, id -> new ConcurrentSkipListMap<>())
                            .put(lastSeq, System.nanoTime());
                    batches.computeIfAbsent(debateId, id -> new ConcurrentHashMap<>())
                            .computeIfAbsent(instance, i -> new AtomicLong()).incrementAndGet();
                }
            };
        }

        /** When the batch holding {@code seq} was committed (each batch holds the seqs after the previous one's). */
        Long commitNanos(String debateId, long seq) {
            ConcurrentSkipListMap<Long, Long> batches = byDebate.get(debateId);
            Map.Entry<Long, Long> batch = batches == null ? null : batches.ceilingEntry(seq);
            return batch == null ? null : batch.getValue();
        }

        long batches(String debateId, String instance) {
            AtomicLong count = batches.getOrDefault(debateId, Map.of()).get(instance);
            return count == null ? 0 : count.get();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("viewers")) {
            viewers(args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]));
            System.exit(0);
        }
        int latencyDebates = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int viewers = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int modelMs = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int speechMs = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        InstanceBench.quietLogs();
        try (DebateHarness fakes = new DebateHarness()) {
            fakes.answerAfter(Duration.ofMillis(modelMs));
            fakes.speech = call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(40))
                    .delayed(Duration.ofMillis(speechMs));
            Map<String, String> env = new LinkedHashMap<>(fakes.env());
            env.put("DAILY_DEBATE_LIMIT", "1000");
            env.put("DATABASE_URL", InstanceBench.freshPostgres());
            Commits commits = new Commits();
            Map<String, String> envA = new HashMap<>(env);
            envA.put("INSTANCE_ID", "bench-a");
            Map<String, String> envB = new HashMap<>(env);
            envB.put("INSTANCE_ID", "bench-b");
            try (Server a = Server.start(envA, commits.on("A")); Server b = Server.start(envB, commits.on("B"))) {
                String[] owner = a.userAuth("bench@example.com");
                System.out.printf(Locale.ROOT, "two instances in one JVM on one PostgreSQL schema; fake model %d ms, "
                        + "speech %d ms; cores=%d%n", modelMs, speechMs, Runtime.getRuntime().availableProcessors());
                if (latencyDebates > 0) {
                    latency(a, b, commits, owner, latencyDebates, rounds);
                }
                if (viewers > 0) {
                    fanOut(a, b, commits, owner, viewers);
                }
            }
        }
        System.exit(0);
    }

    private static void latency(Server a, Server b, Commits commits, String[] owner, int debates, int rounds)
            throws Exception {
        String load = InstanceBench.loadAverage();
        List<Double> local = new ArrayList<>();
        List<Double> relayed = new ArrayList<>();
        List<Double> extra = new ArrayList<>();
        int skipped = 0;
        int takenByB = 0;
        for (int d = 0; d < debates; d++) {
            String id = DebateHarness.debateId(a.http().post("/api/debate/start", DebateHarness.startBody(
                    DebateHarness.BINARY_MARKET, rounds, DebateHarness.MODEL_A, DebateHarness.MODEL_B,
                    DebateHarness.MODEL_C), owner));
            CompletableFuture<TimedStream> viewerA = CompletableFuture.supplyAsync(
                    () -> InstanceBench.stream(a.baseUrl(), id, LIMIT, e -> true));
            CompletableFuture<TimedStream> viewerB = CompletableFuture.supplyAsync(
                    () -> InstanceBench.stream(b.baseUrl(), id, LIMIT, e -> true));
            TimedStream seenA = viewerA.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            TimedStream seenB = viewerB.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!seenA.endedWith("debate_complete") || !seenB.endedWith("debate_complete")) {
                throw new IllegalStateException("debate " + id + " did not complete for both viewers: "
                        + seenA.failure() + " / " + seenB.failure());
            }
            if (!sameSequence(seenA.events(), seenB.events())) {
                throw new IllegalStateException("viewers on A and B saw different streams of debate " + id);
            }
            if (commits.batches(id, "B") > 0) {
                // B claimed the new debate between its insert and A's claim: nothing here crosses from A to B.
                takenByB++;
                continue;
            }
            Map<Long, Long> receivedOnA = new HashMap<>();
            for (TimedEvent e : seenA.events()) {
                Long commit = commits.commitNanos(id, e.seq());
                if (commit != null && commit > seenA.connectedNanos()) {
                    local.add((e.nanos() - commit) / 1e6);
                    receivedOnA.put(e.seq(), e.nanos());
                }
            }
            for (TimedEvent e : seenB.events()) {
                Long commit = commits.commitNanos(id, e.seq());
                if (commit == null || commit <= seenB.connectedNanos()) {
                    skipped++;
                    continue;
                }
                relayed.add((e.nanos() - commit) / 1e6);
                Long atA = receivedOnA.get(e.seq());
                if (atA != null) {
                    extra.add((e.nanos() - atA) / 1e6);
                }
            }
        }
        Collections.sort(local);
        Collections.sort(relayed);
        Collections.sort(extra);
        System.out.printf(Locale.ROOT, "(3) cross-instance delivery: %d debates of 3 models × %d rounds run on A; "
                + "load avg before %s, after %s; %d events replayed at connection time left out; %d debates run by B "
                + "left out%n", debates, rounds, load, InstanceBench.loadAverage(), skipped, takenByB);
        System.out.println("| path | events | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        row("commit on A → viewer on A (local hub)", local);
        row("commit on A → viewer on B (NOTIFY/LISTEN relay)", relayed);
        row("viewer on A → viewer on B, same event", extra);
    }

    private static void row(String name, List<Double> sorted) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", name, sorted.size(),
                InstanceBench.percentile(sorted, 50), InstanceBench.percentile(sorted, 90),
                InstanceBench.percentile(sorted, 99), sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1));
    }

    /** Counts the server's statements that read the event log from now on (each handle opened later sees it). */
    private static AtomicLong countEventReads(Server server) {
        AtomicLong reads = new AtomicLong();
        server.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                String sql = context.getRenderedSql();
                if (sql != null && sql.startsWith("SELECT") && sql.contains("FROM debate_events")) {
                    reads.incrementAndGet();
                }
            }
        });
        return reads;
    }

    private static boolean sameSequence(List<TimedEvent> one, List<TimedEvent> other) {
        if (one.size() != other.size()) {
            return false;
        }
        for (int i = 0; i < one.size(); i++) {
            TimedEvent x = one.get(i);
            TimedEvent y = other.get(i);
            if (x.seq() != y.seq() || !x.event().equals(y.event()) || !x.data().equals(y.data())) {
                return false;
            }
        }
        return true;
    }

    private record Viewer(int index, String instance, int status, boolean complete, String digest, int events,
                          String failure, Map<Long, Long> received) {
    }

    private static void fanOut(Server a, Server b, Commits commits, String[] owner, int viewers)
            throws Exception {
        String id = DebateHarness.debateId(a.http().post("/api/debate/start", DebateHarness.startBody(
                DebateHarness.BINARY_MARKET, 3, DebateHarness.MODEL_A, DebateHarness.MODEL_B, DebateHarness.MODEL_C),
                owner));
        if (a.http().post("/api/debate/" + id + "/pause", null, owner).status() != 200) {
            throw new IllegalStateException("could not pause debate " + id);
        }
        Path results = Files.createTempFile("polydebate-viewers", ".txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss256k", "-cp", InstanceBench.classPath(), TwoInstancesBenchmark.class.getName(), "viewers",
                a.baseUrl() + "/api/debate/" + id + "/stream", b.baseUrl() + "/api/debate/" + id + "/stream",
                String.valueOf(viewers), results.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        String line = childOut.readLine();
        if (line == null || !line.equals("connected")) {
            throw new IllegalStateException("viewer process: " + line);
        }
        Thread.sleep(1000);
        long replayedUpTo = a.lastSeq(id);
        AtomicLong readsOnA = countEventReads(a);
        AtomicLong readsOnB = countEventReads(b);
        String load = InstanceBench.loadAverage();
        if (a.http().post("/api/debate/" + id + "/resume", null, owner).status() != 200) {
            throw new IllegalStateException("could not resume debate " + id);
        }
        child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        child.getOutputStream().flush();
        while ((line = childOut.readLine()) != null) {
            System.out.println(line);
        }
        if (!child.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS) || child.exitValue() != 0) {
            throw new IllegalStateException("viewer process failed");
        }
        String loadAfter = InstanceBench.loadAverage();
        List<Viewer> seen = read(results);
        Files.deleteIfExists(results);

        String committers = "A " + commits.batches(id, "A") + ", B " + commits.batches(id, "B");
        Map<String, Long> digests = new TreeMap<>();
        seen.forEach(v -> digests.merge(v.digest(), 1L, Long::sum));
        List<Viewer> failed = seen.stream().filter(v -> v.status() != 200 || !v.complete() || !v.failure().equals("-"))
                .toList();
        long lastSeq = a.lastSeq(id);
        System.out.printf(Locale.ROOT, "(4) one 3 × 3 debate (events 1..%d; 1..%d replayed at connection), %d viewers "
                        + "(%d on A, %d on B), appends committed by %s; load avg before %s, after %s%n", lastSeq,
                replayedUpTo, seen.size(), seen.stream().filter(v -> v.instance().equals("A")).count(),
                seen.stream().filter(v -> v.instance().equals("B")).count(), committers, load, loadAfter);
        Map<String, Long> failures = new TreeMap<>();
        failed.forEach(v -> failures.merge(v.instance() + ": status " + v.status() + ", " + v.events() + " events, "
                + v.failure().replace('_', ' '), 1L, Long::sum));
        System.out.printf(Locale.ROOT, "(4) distinct streams: %d (%s); viewers with errors: %d %s%n", digests.size(),
                digests.size() == 1 ? "all identical" : digests, failed.size(), failed.isEmpty() ? "" : failures);
        System.out.printf(Locale.ROOT, "(4) reads of debate_events from the resume to the end: %d on A, %d on B%n",
                readsOnA.get(), readsOnB.get());

        // The terminal event also closes every connection, so it is reported on its own row.
        System.out.println("| viewers | events | spread p50 ms | spread p99 ms | spread max ms "
                + "| commit→viewer p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String which : List.of("A", "B", "all")) {
            List<Viewer> group = seen.stream().filter(v -> which.equals("all") || v.instance().equals(which)).toList();
            report(which + " (" + group.size() + "), live events " + (replayedUpTo + 1) + ".." + (lastSeq - 1), group,
                    commits, id, replayedUpTo + 1, lastSeq - 1);
            report(which + ", debate_complete (" + lastSeq + ")", group, commits, id, lastSeq, lastSeq);
        }
        if (digests.size() != 1 || !failed.isEmpty() || seen.size() != viewers) {
            throw new IllegalStateException("the viewers did not all receive the same complete stream");
        }
    }

    /** Spread (first to last viewer) and commit-to-viewer latency over the events {@code from..to}. */
    private static void report(String name, List<Viewer> group, Commits commits, String id, long from, long to) {
        List<Double> spreads = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            Long commit = commits.commitNanos(id, seq);
            for (Viewer v : group) {
                Long at = v.received().get(seq);
                if (at == null) {
                    continue;
                }
                first = Math.min(first, at);
                last = Math.max(last, at);
                if (commit != null) {
                    latencies.add((at - commit) / 1e6);
                }
            }
            if (first != Long.MAX_VALUE) {
                spreads.add((last - first) / 1e6);
            }
        }
        Collections.sort(spreads);
        Collections.sort(latencies);
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", name,
                spreads.size(), InstanceBench.percentile(spreads, 50), InstanceBench.percentile(spreads, 99),
                spreads.isEmpty() ? Double.NaN : spreads.get(spreads.size() - 1),
                InstanceBench.percentile(latencies, 50), InstanceBench.percentile(latencies, 99),
                latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));
    }

    private static List<Viewer> read(Path results) throws Exception {
        Map<Integer, Map<Long, Long>> received = new HashMap<>();
        List<String[]> heads = new ArrayList<>();
        for (String line : Files.readAllLines(results)) {
            String[] f = line.split(" ", 8);
            if (f[0].equals("E")) {
                received.computeIfAbsent(Integer.parseInt(f[1]), i -> new HashMap<>())
                        .put(Long.parseLong(f[2]), Long.parseLong(f[3]));
            } else {
                heads.add(f);
            }
        }
        List<Viewer> viewers = new ArrayList<>();
        for (String[] f : heads) {
            int index = Integer.parseInt(f[1]);
            viewers.add(new Viewer(index, f[2], Integer.parseInt(f[3]), f[4].equals("1"), f[5],
                    Integer.parseInt(f[6]), f[7], received.getOrDefault(index, Map.of())));
        }
        return viewers;
    }

    /** Child JVM: connects the viewers alternately to A and B, reports, waits for "go", then records every event. */
    private static void viewers(String urlA, String urlB, int count, Path results) throws Exception {
        CountDownLatch connected = new CountDownLatch(count);
        CountDownLatch finished = new CountDownLatch(count);
        Map<Integer, Viewer> outcome = new ConcurrentHashMap<>();
        Set<Integer> counted = ConcurrentHashMap.newKeySet();
        for (int v = 0; v < count; v++) {
            int index = v;
            String instance = v % 2 == 0 ? "A" : "B";
            String url = instance.equals("A") ? urlA : urlB;
            String base = url.substring(0, url.indexOf("/api/"));
            String debateId = url.substring(url.indexOf("/debate/") + 8, url.lastIndexOf("/stream"));
            Thread reader = new Thread(() -> {
                TimedStream stream = InstanceBench.stream(base, debateId, LIMIT, e -> {
                    if (counted.add(index)) {
                        connected.countDown();
                    }
                    return true;
                });
                if (counted.add(index)) {
                    connected.countDown();
                }
                Map<Long, Long> received = new HashMap<>();
                StringBuilder all = new StringBuilder();
                for (TimedEvent e : stream.events()) {
                    received.put(e.seq(), e.nanos());
                    all.append(e.seq()).append('\n').append(e.event()).append('\n').append(e.data()).append('\n');
                }
                outcome.put(index, new Viewer(index, instance, stream.status(), stream.endedWith("debate_complete"),
                        digest(all.toString()), stream.events().size(),
                        stream.failure() == null ? "-" : stream.failure().replace(' ', '_'), received));
                finished.countDown();
            }, "viewer-" + v);
            reader.setDaemon(true);
            reader.start();
            if (v % 100 == 99) {
                Thread.sleep(50);
            }
        }
        // A viewer counts as connected once it has read its first (replayed) event: the debate started before.
        if (!connected.await(120, TimeUnit.SECONDS)) {
            System.out.println("only " + (count - connected.getCount()) + " viewers connected");
            return;
        }
        System.out.println("connected");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!finished.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            System.out.println("only " + (count - finished.getCount()) + " viewers finished");
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results))) {
            for (Viewer v : outcome.values()) {
                out.printf("V %d %s %d %s %s %d %s%n", v.index(), v.instance(), v.status(), v.complete() ? "1" : "0",
                        v.digest(), v.events(), v.failure());
                v.received().forEach((seq, nanos) -> out.printf("E %d %d %d%n", v.index(), seq, nanos));
            }
        }
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
