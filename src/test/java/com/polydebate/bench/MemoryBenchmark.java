package com.polydebate.bench;

import static com.polydebate.support.TestDebates.predictions;

import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.FreePort;
import com.polydebate.support.TestDebates;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Not a test: the server's memory over a load run, started the way a deployment starts it, against fake upstreams
 * on loopback. Measures idle RSS, then runs wrk on GET /api/health, warm GET /api/markets?limit=20, warm
 * GET /api/markets/{id} and GET /api/debate/{id} (a finished 9-message debate), then samples RSS every 5 s for a
 * minute of idleness. RSS is {@code VmRSS} of {@code /proc/<pid>/status}; throughput and latency are wrk's.
 *
 * <pre>
 * mvn -q -B -DskipTests package
 * mvn -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.polydebate.bench.MemoryBenchmark
 * </pre>
 * System properties: {@code bench.launch} ({@code launcher}: {@code bin/polydebate}, the documented start command,
 * with its default options; {@code jar}: the former {@code java $JAVA_OPTS -jar target/polydebate.jar}),
 * {@code bench.javaOpts} (the server's {@code JAVA_OPTS}, empty by default), {@code bench.connections} (50),
 * {@code bench.seconds} (10 per endpoint, after a 3 s warm-up), {@code bench.idleSeconds} (60),
 * {@code bench.logLevel} (INFO), {@code bench.diagnose} (print {@code jcmd GC.heap_info} after the load and after the
 * idle minute, and {@code VM.native_memory summary} when JAVA_OPTS turn native memory tracking on). bench/memory.sh runs it for the former and the current defaults.
 */
public final class MemoryBenchmark {
    private static final String LAUNCH = System.getProperty("bench.launch", "launcher");
    private static final String JAVA_OPTS = System.getProperty("bench.javaOpts", "").trim();
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 50);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WARMUP_SECONDS = 3;
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idleSeconds", 60);
    private static final String LOG_LEVEL = System.getProperty("bench.logLevel", "INFO");
    private static final boolean DIAGNOSE = Boolean.getBoolean("bench.diagnose");
    private static final Path JAR = Path.of("target/polydebate.jar").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("bin/polydebate").toAbsolutePath();

    private record Load(String path, double requestsPerSecond, String p50, String p99, double serverMicrosPerRequest,
                        long rssAfterKb) {
    }

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " not found: run mvn -B -DskipTests package first");
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
            Path storage = Files.createTempDirectory("polydebate-memory");
            ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(storage.resolve("server.log").toFile());
            Map<String, String> env = builder.environment();
            env.remove("DATABASE_URL");
            env.put("JAVA_OPTS", JAVA_OPTS);
            env.put("PORT", Integer.toString(port));
            env.put("HOST", "127.0.0.1");
            env.put("STORAGE_DIR", storage.toString());
            env.put("LOG_LEVEL", LOG_LEVEL);
            env.put("POLYMARKET_GAMMA_URL", gamma.baseUrl());
            env.put("POLYMARKET_CLOB_URL", clob.baseUrl());
            env.put("POLYMARKET_WEB_URL", gamma.baseUrl());
            env.put("OPENROUTER_API_URL", "http://127.0.0.1:9");

            String base = "http://127.0.0.1:" + port;
            System.out.printf(Locale.ROOT, "start: %s, JAVA_OPTS=\"%s\", load average %s%n", String.join(" ",
                    builder.command()), JAVA_OPTS, loadAverage());
            long startNanos = System.nanoTime();
            Process server = builder.start();
            try {
                double startSeconds = waitHealthy(base, startNanos);
                String debate = debate(Jdbi.create("jdbc:sqlite:" + storage.resolve("polydebate.db")));
                Thread.sleep(5000);
                long idleKb = rssKb(server.pid());
                System.out.printf(Locale.ROOT, "start to healthy %.3f s, idle RSS %.1f MiB%n", startSeconds,
                        idleKb / 1024.0);
                if (DIAGNOSE) {
                    System.out.println(jcmd(server.pid(), "GC.heap_info"));
                    System.out.println(jcmd(server.pid(), "VM.native_memory", "summary"));
                    System.out.println(residentKinds(server.pid()));
                }
                System.out.printf(Locale.ROOT, "wrk -t2 -c%d, %d s per endpoint after a %d s warm-up%n",
                        CONNECTIONS, SECONDS, WARMUP_SECONDS);
                System.out.println("| endpoint | req/s | p50 ms | p99 ms | server CPU µs/req | RSS after, MiB |");
                System.out.println("|---|---|---|---|---|---|");
                List<Load> loads = new ArrayList<>();
                for (String path : List.of("/api/health", "/api/markets?limit=20", "/api/markets/481717",
                        "/api/debate/" + debate)) {
                    Load load = wrk(base, path, server.pid());
                    loads.add(load);
                    System.out.printf(Locale.ROOT, "| %s | %.0f | %s | %s | %.0f | %.1f |%n", load.path(),
                            load.requestsPerSecond(), load.p50(), load.p99(), load.serverMicrosPerRequest(),
                            load.rssAfterKb() / 1024.0);
                }
                long afterKb = rssKb(server.pid());
                System.out.printf(Locale.ROOT, "RSS after the load %.1f MiB, peak (VmHWM) %.1f MiB, load average %s%n",
                        afterKb / 1024.0, hwmKb(server.pid()) / 1024.0, loadAverage());
                if (DIAGNOSE) {
                    System.out.println(jcmd(server.pid(), "GC.heap_info"));
                    System.out.println(jcmd(server.pid(), "VM.native_memory", "summary"));
                    System.out.println(residentKinds(server.pid()));
                }
                StringBuilder timeline = new StringBuilder("RSS while idle (s → MiB):");
                long lastKb = afterKb;
                for (int t = 5; t <= IDLE_SECONDS; t += 5) {
                    Thread.sleep(5000);
                    lastKb = rssKb(server.pid());
                    timeline.append(String.format(Locale.ROOT, " %d→%.0f", t, lastKb / 1024.0));
                }
                System.out.println(timeline);
                if (DIAGNOSE) {
                    System.out.println(jcmd(server.pid(), "GC.heap_info"));
                    System.out.println(jcmd(server.pid(), "VM.native_memory", "summary"));
                    System.out.println(residentKinds(server.pid()));
                }
                System.out.printf(Locale.ROOT, "SUMMARY | %s | %s | %.2f | %.0f | %.0f | %.0f | %s | %s | %s |%n",
                        LAUNCH, JAVA_OPTS.isEmpty() ? "(none)" : JAVA_OPTS, startSeconds, idleKb / 1024.0,
                        afterKb / 1024.0, lastKb / 1024.0,
                        String.join(" / ", loads.stream().map(l -> String.format(Locale.ROOT, "%.0f",
                                l.requestsPerSecond())).toList()),
                        String.join(" / ", loads.stream().map(l -> String.format(Locale.ROOT, "%.0f",
                                l.serverMicrosPerRequest())).toList()),
                        loadAverage());
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
    }

    private static List<String> command() {
        if (LAUNCH.equals("jar")) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            if (!JAVA_OPTS.isEmpty()) {
                command.addAll(List.of(JAVA_OPTS.split("\\s+")));
            }
            command.addAll(List.of("-jar", JAR.toString()));
            return command;
        }
        return List.of(LAUNCHER.toString());
    }

    /** A finished debate of 3 models × 3 rounds, every message with predictions, as the engine stores it. */
    private static String debate(Jdbi jdbi) {
        TestDebates builder = TestDebates.debate(jdbi, null)
                .market("16167", "Will Bitcoin reach $100k in 2025?", "Crypto")
                .outcome("Yes", 0.45).outcome("No", 0.55).status("completed").rounds(3);
        for (int m = 0; m < 3; m++) {
            builder.model("provider/model-" + m, "Provider: Model " + m, "Provider");
        }
        for (int r = 1; r <= 3; r++) {
            for (int m = 0; m < 3; m++) {
                builder.message(r, "provider/model-" + m, "Round " + r + " argument of model " + m
                                + ": ETF inflows and the halving cycle point to a stronger year-end than priced.",
                        predictions("Yes", 40.0 + r + m, "No", 60.0 - r - m));
            }
        }
        return builder.insert();
    }

    private static Load wrk(String base, String path, long serverPid) throws Exception {
        runWrk(base + path, WARMUP_SECONDS);
        double cpu = cpuSeconds(serverPid);
        String output = runWrk(base + path, SECONDS);
        cpu = cpuSeconds(serverPid) - cpu;
        if (!output.contains("Requests/sec:") || output.contains("Non-2xx")) {
            throw new IllegalStateException("wrk on " + path + " failed:\n" + output);
        }
        double rate = number(output, "Requests/sec:");
        return new Load(path, rate, latency(output, "50%"), latency(output, "99%"),
                cpu * 1e6 / Math.max(1, rate * SECONDS), rssKb(serverPid));
    }

    private static String runWrk(String url, int seconds) throws Exception {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + CONNECTIONS, "-d" + seconds + "s", "--latency", url)
                .redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        return output;
    }

    private static double number(String output, String label) {
        return output.lines().map(String::trim).filter(l -> l.startsWith(label)).findFirst()
                .map(l -> Double.parseDouble(l.substring(label.length()).trim())).orElse(0.0);
    }

    /** wrk prints latency percentiles as "50%  1.23ms" (or us / s). */
    private static String latency(String output, String percentile) {
        return output.lines().map(String::trim).filter(l -> l.startsWith(percentile + " ")).findFirst()
                .map(l -> {
                    String value = l.substring(percentile.length()).trim();
                    double number = Double.parseDouble(value.replaceAll("[a-z]+$", ""));
                    double ms = value.endsWith("us") ? number / 1000 : value.endsWith("ms") ? number : number * 1000;
                    return String.format(Locale.ROOT, "%.2f", ms);
                }).orElse("n/a");
    }

    private static String jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return output;
    }

    /** Resident memory by kind: anonymous (heap, stacks, malloc, code) and file-backed (the JVM's libraries, jar). */
    private static String residentKinds(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup")).stream()
                .filter(line -> line.startsWith("Rss:") || line.startsWith("Anonymous:") || line.startsWith("Pss_File:"))
                .map(String::trim).reduce("resident:", (a, b) -> a + "  " + b.replaceAll("\\s+", " "));
    }

    private static double waitHealthy(String base, long startNanos) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/api/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = startNanos + Duration.ofSeconds(120).toNanos();
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
        throw new IllegalStateException("server did not become healthy within 120 s");
    }

    private static long rssKb(long pid) throws IOException {
        return statusKb(pid, "VmRSS:");
    }

    private static long hwmKb(long pid) throws IOException {
        return statusKb(pid, "VmHWM:");
    }

    private static long statusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException(field + " missing for pid " + pid);
    }

    /** utime + stime of a process from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
