package com.polydebate.bench;

import static com.polydebate.support.TestDebates.predictions;

import com.polydebate.bench.InstanceBench.Server;
import com.polydebate.debates.DebateHooks;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestDebates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: the same server on SQLite and on PostgreSQL, side by side, under {@code wrk}: {@code GET /api/health},
 * the warm market list and a finished 9-message debate ({@code GET /api/debate/{id}}). Both servers run in this JVM
 * (one at a time under load) against one fake Gamma and CLOB; wrk runs as its own process on the same cores. Every
 * endpoint is warmed up on both databases before anything is measured (the two servers share this JVM's compiled
 * code, so the first one measured would otherwise pay for the other's warm-up); then each pass measures every
 * endpoint on both, the order of the databases alternating between passes, and each row carries the load average
 * read just before it. The server CPU per request is this JVM's (the fakes are idle once the caches are warm); on
 * PostgreSQL the queries run in the database's own processes, whose CPU is a separate column (it counts every client
 * of that PostgreSQL, so on a shared machine it includes other work).
 *
 * <pre>
 * mvn -q -B -o test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=com.polydebate.bench.DatabaseHttpBenchmark [-Dexec.args="CONNECTIONS SECONDS WARMUP THREADS PASSES"]
 * </pre>
 * Defaults: 50 connections, 10 s per measurement, 5 s of warm-up per endpoint and database, 2 wrk threads, 2 passes.
 * {@code -Dbench.endpoint=debate} (any part of the path) measures only the matching endpoints. {@code -Dbench.postgres} names the
 * PostgreSQL (default {@value InstanceBench#DEFAULT_POSTGRES}).
 */
public final class DatabaseHttpBenchmark {
    private DatabaseHttpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int passes = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        InstanceBench.quietLogs();
        requireWrk();
        try (FakeUpstream gamma = new FakeUpstream(); FakeUpstream clob = new FakeUpstream()) {
            String events = Fixtures.text("polymarket-gamma/events-list.json");
            gamma.on("GET", "/events/pagination", call -> Reply.json(200,
                    "{\"data\":" + events + ",\"pagination\":{\"hasMore\":true,\"totalResults\":2}}"));
            clob.on("GET", "/prices-history", call ->
                    Reply.json(200, Fixtures.text("polymarket-clob/prices-history.json")));
            Map<String, String> env = Map.of("POLYMARKET_GAMMA_URL", gamma.baseUrl(),
                    "POLYMARKET_CLOB_URL", clob.baseUrl(), "POLYMARKET_WEB_URL", gamma.baseUrl());
            Map<String, Server> servers = new LinkedHashMap<>();
            servers.put("SQLite", Server.start(env, DebateHooks.NONE));
            Map<String, String> onPostgres = new LinkedHashMap<>(env);
            onPostgres.put("DATABASE_URL", InstanceBench.freshPostgres());
            servers.put("PostgreSQL", Server.start(onPostgres, DebateHooks.NONE));
            Map<String, String> debates = new LinkedHashMap<>();
            servers.forEach((name, server) -> debates.put(name, nineMessages(server)));

            System.out.printf(Locale.ROOT, "cores=%d java=%s wrk -t%d -c%d; every endpoint on both databases warmed "
                    + "up for %d s first (the servers share this JVM's JIT), then %d measured pass(es) of %d s, the "
                    + "order of the databases alternating%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), threads, connections, warmup, passes, seconds);
            List<String> endpoints = List.of("/api/health", "/api/markets?limit=20", "/api/debate/{id}").stream()
                    .filter(e -> e.contains(System.getProperty("bench.endpoint", ""))).toList();
            for (String endpoint : endpoints) {
                for (Map.Entry<String, Server> entry : servers.entrySet()) {
                    String path = endpoint.replace("{id}", debates.get(entry.getKey()));
                    if (entry.getValue().http().get(path).status() != 200) {
                        throw new IllegalStateException(path + " does not answer 200 on " + entry.getKey());
                    }
                    wrk(entry.getValue().baseUrl() + path, threads, connections, warmup);
                }
            }
            System.out.println("| pass | endpoint | database | requests | req/s | p50 ms | p99 ms | max ms | errors "
                    + "| server JVM CPU µs/req | postgres processes CPU µs/req | load avg (1/5/15 min) |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (int pass = 1; pass <= passes; pass++) {
                for (String endpoint : endpoints) {
                    List<String> order = new ArrayList<>(servers.keySet());
                    if (pass % 2 == 0) {
                        Collections.reverse(order);
                    }
                    for (String name : order) {
                        String url = servers.get(name).baseUrl() + endpoint.replace("{id}", debates.get(name));
                        String load = InstanceBench.loadAverage();
                        long pid = ProcessHandle.current().pid();
                        double cpu = InstanceBench.cpuSeconds(pid);
                        Map<Long, Double> postgresBefore = InstanceBench.postgresCpu();
                        String output = wrk(url, threads, connections, seconds);
                        cpu = InstanceBench.cpuSeconds(pid) - cpu;
                        double postgresCpu = InstanceBench.postgresCpuBetween(postgresBefore, InstanceBench.postgresCpu());
                        long requests = (long) number(output, "requests in");
                        System.out.printf(Locale.ROOT, "| %d | %s | %s | %d | %.0f | %s | %s | %s | %d | %.0f | %.0f "
                                        + "| %s |%n", pass, endpoint, name, requests, number(output, "Requests/sec:"),
                                latency(output, "50%"), latency(output, "99%"), maxLatency(output), errors(output),
                                cpu * 1e6 / Math.max(1, requests), postgresCpu * 1e6 / Math.max(1, requests), load);
                    }
                }
            }
            servers.values().forEach(Server::close);
        }
        System.exit(0);
    }

    /** A completed debate of 3 models × 3 rounds, every message with predictions, as the engine stores it. */
    private static String nineMessages(Server server) {
        TestDebates builder = TestDebates.debate(server.jdbi(), null)
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

    private static void requireWrk() {
        try {
            new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("wrk is not installed (apt-get install -y wrk)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String wrk(String url, int threads, int connections, int seconds) throws Exception {
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", url).redirectErrorStream(true).start();
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

    /** Socket errors plus non-2xx answers, as wrk reports them. */
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

    /** wrk prints latency percentiles as "50%  1.23ms" (or us / s). */
    private static String latency(String output, String percentile) {
        return output.lines().map(String::trim).filter(l -> l.startsWith(percentile + " ")).findFirst()
                .map(l -> String.format(Locale.ROOT, "%.2f", millis(l.substring(percentile.length()).trim())))
                .orElse("n/a");
    }

    /** The Max column of wrk's "Latency avg stdev max +/-stdev" line. */
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
