package com.polydebate.bench;

import static com.polydebate.support.TestDebates.predictions;

import com.polydebate.config.ConfigLoader;
import com.polydebate.db.Database;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.FreePort;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: server CPU per request of the packaged server as production runs it (its own process, request log at
 * INFO written to a file), under {@code wrk}: {@code GET /api/health}, warm {@code GET /api/markets?limit=20} and
 * {@code GET /api/debate/{id}} of a finished 9-message debate, at each connection count given. CPU per request is
 * the server process's user + system time over the measured seconds divided by the requests wrk counted.
 *
 * <pre>
 * mvn -q -B package -DskipTests
 * java -cp target/test-classes:target/classes:$(cat cp.txt) com.polydebate.bench.RequestCpuBenchmark \
 *     sqlite 50,1000 10
 * </pre>
 * Arguments: database ({@code sqlite} or {@code postgresql}: a fresh schema in {@code -Dbench.postgres}, else
 * {@code POLYDEBATE_TEST_DATABASE_URL}, else the local one), connection counts (50), seconds per measurement (10).
 * System properties: {@code bench.jvmArgs} (extra server options, e.g. a JFR recording), {@code bench.endpoints}
 * (a comma-separated subset of health, markets, debate), {@code bench.warmup} (seconds per endpoint and round of
 * the warm-up, two rounds over all endpoints before anything is measured; 5).
 */
public final class RequestCpuBenchmark {
    private static final Path JAR = Path.of(System.getProperty("bench.jar", "target/polydebate.jar"));
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 5);

    private RequestCpuBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "sqlite";
        List<Integer> connectionCounts = Arrays.stream((args.length > 1 ? args[1] : "50").split(","))
                .map(Integer::parseInt).toList();
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        List<String> wanted = List.of(System.getProperty("bench.endpoints", "health,markets,debate").split(","));
        try (FakeUpstream gamma = new FakeUpstream(); FakeUpstream clob = new FakeUpstream()) {
            String events = Fixtures.text("polymarket-gamma/events-list.json");
            gamma.on("GET", "/events/pagination", call -> Reply.json(200,
                    "{\"data\":" + events + ",\"pagination\":{\"hasMore\":true,\"totalResults\":2}}"));
            clob.on("GET", "/prices-history", call ->
                    Reply.json(200, Fixtures.text("polymarket-clob/prices-history.json")));

            Path storage = Files.createTempDirectory("polydebate-cpu-bench");
            Map<String, String> env = new LinkedHashMap<>();
            int port = FreePort.any();
            env.put("PORT", Integer.toString(port));
            env.put("HOST", "127.0.0.1");
            env.put("STORAGE_DIR", storage.toString());
            env.put("LOG_LEVEL", "INFO");
            env.put("JWT_SECRET_KEY", TestServer.TEST_JWT_SECRET);
            env.put("POLYMARKET_GAMMA_URL", gamma.baseUrl());
            env.put("POLYMARKET_CLOB_URL", clob.baseUrl());
            env.put("POLYMARKET_WEB_URL", gamma.baseUrl());
            env.put("OPENROUTER_API_URL", "http://127.0.0.1:9");
            if (database.equals("postgresql")) {
                env.put("DATABASE_URL", InstanceBench.freshPostgres());
            }
            String jdbcUrl = ConfigLoader.load(env, new SecureRandom()).databaseUrl();

            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            String jvmArgs = System.getProperty("bench.jvmArgs", "").trim();
            if (!jvmArgs.isEmpty()) {
                command.addAll(List.of(jvmArgs.split("\\s+")));
            }
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
            Path log = storage.resolve("server.log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            String base = "http://127.0.0.1:" + port;
            Process server = builder.start();
            try {
                waitHealthy(base);
                String debateId;
                try (Database db = Database.open(jdbcUrl, 2)) {
                    debateId = finishedDebate(db);
                }
                Map<String, String> paths = new LinkedHashMap<>();
                paths.put("health", "/api/health");
                paths.put("markets", "/api/markets?limit=20");
                paths.put("debate", "/api/debate/" + debateId);
                System.out.printf(Locale.ROOT, "database=%s cores=%d java=%s jvmArgs=[%s] warm-up %d s, %d s per row, "
                                + "server log %s%n", database, Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"), jvmArgs, WARMUP_SECONDS, seconds, log);
                System.out.println("| endpoint | connections | req/s | p50 ms | p99 ms | max ms | errors "
                        + "| server CPU µs/req | wrk CPU µs/req | load avg |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|");
                paths.keySet().retainAll(wanted);
                // Every endpoint warmed up before any is measured: they share most of the compiled code, so the
                // first one measured would otherwise pay for the JIT of the others.
                for (int round = 0; round < 2; round++) {
                    for (String path : paths.values()) {
                        wrk(base + path, 50, WARMUP_SECONDS);
                    }
                }
                for (Map.Entry<String, String> endpoint : paths.entrySet()) {
                    String url = base + endpoint.getValue();
                    for (int connections : connectionCounts) {
                        String load = InstanceBench.loadAverage();
                        double cpu = InstanceBench.cpuSeconds(server.pid());
                        String output = wrk(url, connections, seconds);
                        cpu = InstanceBench.cpuSeconds(server.pid()) - cpu;
                        double requests = number(output, "requests in");
                        System.out.printf(Locale.ROOT, "| `GET %s` | %d | %,.0f | %s | %s | %s | %d | %.0f | %.0f "
                                        + "| %s |%n",
                                endpoint.getKey().equals("debate") ? "/api/debate/{id}" : endpoint.getValue(),
                                connections, number(output, "Requests/sec:"), latency(output, "50%"),
                                latency(output, "99%"), maxLatency(output), errors(output),
                                cpu * 1e6 / Math.max(1, requests), wrkCpu(output) * 1e6 / Math.max(1, requests), load);
                    }
                }
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
    }

    /** A finished 3 models × 3 rounds debate with predictions, as the engine stores it. */
    private static String finishedDebate(Database db) {
        TestDebates builder = TestDebates.debate(db.jdbi(), null)
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

    private static void waitHealthy(String base) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/api/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("server did not become healthy within 90 s");
    }

    private static String wrk(String url, int connections, int seconds) throws Exception {
        // GNU time reports wrk's own CPU: the load generator shares the two cores with the server.
        Process wrk = new ProcessBuilder("/usr/bin/time", "-f", "wrk-cpu %U %S", "wrk", "-t2", "-c" + connections,
                "-d" + seconds + "s", "--timeout", "10s", "--latency", url).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        return output;
    }

    /** The number after {@code label} on wrk's line that holds it ("Requests/sec: 123.4", "456 requests in"). */
    private static double number(String output, String label) {
        for (String line : output.lines().map(String::trim).toList()) {
            int at = line.indexOf(label);
            if (at < 0) {
                continue;
            }
            String value = at == 0 ? line.substring(label.length()).trim().split("\\s+")[0]
                    : line.substring(0, at).trim();
            return Double.parseDouble(value.replace(",", ""));
        }
        return 0;
    }

    /** wrk's user + system CPU seconds, from the line GNU time adds. */
    private static double wrkCpu(String output) {
        return output.lines().filter(l -> l.startsWith("wrk-cpu ")).findFirst()
                .map(l -> l.split(" "))
                .map(f -> Double.parseDouble(f[1]) + Double.parseDouble(f[2])).orElse(Double.NaN);
    }

    /** Socket errors (connect, read, write, timeout) plus non-2xx answers, as wrk reports them. */
    private static long errors(String output) {
        long errors = (long) number(output, "Non-2xx or 3xx responses:");
        for (String line : output.lines().map(String::trim).toList()) {
            if (line.startsWith("Socket errors:")) {
                for (String part : line.substring("Socket errors:".length()).split(",")) {
                    errors += Long.parseLong(part.trim().split("\\s+")[1]);
                }
            }
        }
        return errors;
    }

    private static String latency(String output, String percentile) {
        return output.lines().map(String::trim).filter(l -> l.startsWith(percentile + " ")).findFirst()
                .map(l -> String.format(Locale.ROOT, "%.2f", millis(l.substring(percentile.length()).trim())))
                .orElse("n/a");
    }

    private static String maxLatency(String output) {
        return output.lines().map(String::trim).filter(l -> l.startsWith("Latency ")).findFirst()
                .map(l -> String.format(Locale.ROOT, "%.1f", millis(l.split("\\s+")[3]))).orElse("n/a");
    }

    private static double millis(String value) {
        double number = Double.parseDouble(value.replaceAll("[a-z]+$", ""));
        return value.endsWith("us") ? number / 1000 : value.endsWith("ms") ? number
                : value.endsWith("m") ? number * 60_000 : number * 1000;
    }
}
