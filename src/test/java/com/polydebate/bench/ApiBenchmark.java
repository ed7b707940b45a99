package com.polydebate.bench;

import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: a runnable benchmark of the packaged server against fake upstreams on loopback.
 * Starts {@code target/polydebate.jar} as its own process, measures process start → first healthy
 * answer and idle RSS, then drives GET /api/health, warm GET /api/markets?limit=20 and warm
 * GET /api/markets/{id} with N keep-alive connections (one worker thread per connection) for a fixed time.
 *
 * <pre>
 * mvn -q -o package -DskipTests
 * mvn -q -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.polydebate.bench.ApiBenchmark
 * </pre>
 * System properties: {@code bench.connections} (50), {@code bench.seconds} (10), {@code bench.warmup} (3),
 * {@code bench.logLevel} (INFO), {@code bench.jar} (target/polydebate.jar), {@code bench.jvmArgs} (extra server
 * JVM options, for example a JFR recording).
 */
public final class ApiBenchmark {
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 50);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 3);
    private static final String LOG_LEVEL = System.getProperty("bench.logLevel", "INFO");
    private static final Path JAR = Path.of(System.getProperty("bench.jar", "target/polydebate.jar"));

    private record Result(String name, long requests, long errors, double seconds, long p50Micros, long p99Micros,
                          long maxMicros, double serverCpuSeconds, double benchCpuSeconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f | %d | %.0f | %.0f | %.0f |",
                    name, requests, requests / seconds, p50Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0,
                    errors, serverCpuSeconds * 1e6 / Math.max(1, requests), benchCpuSeconds * 1e6 / Math.max(1, requests),
                    requests / Math.max(1e-9, serverCpuSeconds));
        }
    }

    private ApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " not found: run mvn -o package -DskipTests first");
        }
        try (FakeUpstream gamma = new FakeUpstream(); FakeUpstream clob = new FakeUpstream()) {
            String events = Fixtures.text("polymarket-gamma/events-list.json");
            gamma.on("GET", "/events/pagination", call -> Reply.json(200,
                    "{\"data\":" + events + ",\"pagination\":{\"hasMore\":true,\"totalResults\":2}}"));
            gamma.on("GET", "/events/481717", call ->
                    Reply.json(200, Fixtures.text("polymarket-gamma/event-categorical.json")));
            clob.on("GET", "/prices-history", call ->
                    Reply.json(200, Fixtures.text("polymarket-clob/prices-history.json")));

            int port = FreePort.any();
            Path storage = Files.createTempDirectory("polydebate-bench");
            Path log = storage.resolve("server.log");
            List<String> command = new ArrayList<>(List.of(javaBinary()));
            String jvmArgs = System.getProperty("bench.jvmArgs", "").trim();
            if (!jvmArgs.isEmpty()) {
                command.addAll(List.of(jvmArgs.split("\\s+")));
            }
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("HOST", "127.0.0.1");
            builder.environment().put("STORAGE_DIR", storage.toString());
            builder.environment().put("LOG_LEVEL", LOG_LEVEL);
            builder.environment().put("POLYMARKET_GAMMA_URL", gamma.baseUrl());
            builder.environment().put("POLYMARKET_CLOB_URL", clob.baseUrl());
            builder.environment().put("POLYMARKET_WEB_URL", gamma.baseUrl());
            builder.environment().put("OPENROUTER_API_URL", "http://127.0.0.1:9");

            String base = "http://127.0.0.1:" + port;
            long startNanos = System.nanoTime();
            Process server = builder.start();
            try {
                double startSeconds = waitHealthy(base, startNanos);
                Thread.sleep(2000);
                long idleRssKb = rssKb(server.pid());

                System.out.printf(Locale.ROOT, "start to first healthy answer: %.3f s%n", startSeconds);
                System.out.printf(Locale.ROOT, "idle RSS after start: %.1f MiB%n", idleRssKb / 1024.0);
                System.out.printf(Locale.ROOT, "%d connections, %d s per endpoint after %d s warm-up, LOG_LEVEL=%s%n",
                        CONNECTIONS, SECONDS, WARMUP_SECONDS, LOG_LEVEL);
                System.out.println("| endpoint | requests | req/s | p50 ms | p99 ms | max ms | errors"
                        + " | server CPU µs/req | load generator CPU µs/req | req/s per server CPU-second |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|");
                for (String path : List.of("/api/health", "/api/markets?limit=20", "/api/markets/481717")) {
                    System.out.println(run(base, path, server.pid()));
                }
                if (wrkAvailable()) {
                    System.out.println();
                    System.out.printf("wrk (C load generator, 2 threads, %d connections, %d s):%n", CONNECTIONS, SECONDS);
                    System.out.println("| endpoint | req/s | p50 ms | p99 ms | server CPU µs/req |");
                    System.out.println("|---|---|---|---|---|");
                    for (String path : List.of("/api/health", "/api/markets?limit=20", "/api/markets/481717")) {
                        System.out.println(wrk(base, path, server.pid()));
                    }
                }
                System.out.printf(Locale.ROOT, "RSS after load: %.1f MiB%n", rssKb(server.pid()) / 1024.0);
                System.out.printf("upstream calls: gamma %d, clob %d%n", gamma.calls().size(), clob.calls().size());
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
    }

    private static Result run(String base, String path, long serverPid) throws Exception {
        URI uri = URI.create(base + path);
        ExecutorService workers = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            // Warm-up fills the caches and the JIT; its numbers are discarded.
            drive(workers, uri, WARMUP_SECONDS);
            List<long[]> samples = new ArrayList<>();
            AtomicLong errors = new AtomicLong();
            double serverCpu = cpuSeconds(serverPid);
            double benchCpu = cpuSeconds(ProcessHandle.current().pid());
            long started = System.nanoTime();
            List<long[]> measured = drive(workers, uri, SECONDS, errors);
            double elapsed = (System.nanoTime() - started) / 1e9;
            serverCpu = cpuSeconds(serverPid) - serverCpu;
            benchCpu = cpuSeconds(ProcessHandle.current().pid()) - benchCpu;
            samples.addAll(measured);
            long total = samples.stream().mapToLong(s -> s.length).sum();
            long[] all = new long[(int) total];
            int at = 0;
            for (long[] s : samples) {
                System.arraycopy(s, 0, all, at, s.length);
                at += s.length;
            }
            Arrays.sort(all);
            return new Result(path, total, errors.get(), elapsed, percentile(all, 0.50) / 1000,
                    percentile(all, 0.99) / 1000, all.length == 0 ? 0 : all[all.length - 1] / 1000, serverCpu, benchCpu);
        } finally {
            workers.shutdownNow();
        }
    }

    private static List<long[]> drive(ExecutorService workers, URI uri, int seconds) throws Exception {
        return drive(workers, uri, seconds, new AtomicLong());
    }

    /** Every worker owns one keep-alive connection (its own client) and loops until the deadline. */
    private static List<long[]> drive(ExecutorService workers, URI uri, int seconds, AtomicLong errors)
            throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<long[]>> futures = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            futures.add(workers.submit(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
                long[] latencies = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long took = System.nanoTime() - t0;
                    if (response.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = took;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> out = new ArrayList<>();
        for (Future<long[]> future : futures) {
            out.add(future.get());
        }
        return out;
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private static double waitHealthy(String base, long startNanos) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/api/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = startNanos + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - startNanos) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("server did not become healthy within 60 s");
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** utime + stime of a process from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The JDK client costs more CPU per request than the server does, and both share the same two cores, so
     * a lighter generator (wrk, when installed) shows more of what the server itself can do.
     */
    private static boolean wrkAvailable() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() <= 1;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String wrk(String base, String path, long serverPid) throws Exception {
        double serverCpu = cpuSeconds(serverPid);
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + CONNECTIONS, "-d" + SECONDS + "s", "--latency", base + path)
                .redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        serverCpu = cpuSeconds(serverPid) - serverCpu;
        double rate = wrkNumber(output, "Requests/sec:");
        double requests = rate * SECONDS;
        return String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %.0f |", path, rate, wrkLatency(output, "50%"), wrkLatency(output, "99%"), serverCpu * 1e6 / Math.max(1, requests));
    }

    private static double wrkNumber(String output, String label) {
        return output.lines().filter(l -> l.trim().startsWith(label)).findFirst()
                .map(l -> Double.parseDouble(l.trim().substring(label.length()).trim())).orElse(0.0);
    }

    /** wrk prints latency percentiles as "50%  1.23ms" (or us / s). */
    private static String wrkLatency(String output, String percentile) {
        return output.lines().map(String::trim).filter(l -> l.startsWith(percentile + " ")).findFirst()
                .map(l -> {
                    String value = l.substring(percentile.length()).trim();
                    double number = Double.parseDouble(value.replaceAll("[a-z]+$", ""));
                    double ms = value.endsWith("us") ? number / 1000 : value.endsWith("ms") ? number
                            : number * 1000;
                    return String.format(Locale.ROOT, "%.2f", ms);
                }).orElse("n/a");
    }
}
