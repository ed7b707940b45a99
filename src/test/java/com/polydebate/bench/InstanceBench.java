package com.polydebate.bench;

import com.polydebate.App;
import com.polydebate.auth.User;
import com.polydebate.auth.UserDao;
import com.polydebate.config.Config;
import com.polydebate.config.ConfigLoader;
import com.polydebate.db.Timestamps;
import com.polydebate.debates.DebateHooks;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * What the benchmarks of several instances and of PostgreSQL share: servers in this JVM on the system clock (leases,
 * caches and the health probe expire as in production, and a child JVM's server compares lease times on the same
 * clock), fresh PostgreSQL schemas, a timed SSE reader, the load average and percentiles.
 */
final class InstanceBench {
    static final String DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test";

    private InstanceBench() {
    }

    /** Quiet request logging in this JVM unless {@code -Dbench.logLevel} says otherwise; call before any server. */
    static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("bench.logLevel", "warn").toLowerCase(Locale.ROOT));
        // The fakes are JDK HttpServers, which write headers and body separately; without TCP_NODELAY every fake
        // answer waits ~40 ms for a delayed ACK, an artefact of the fake, not of the server.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The PostgreSQL to use: {@code -Dbench.postgres}, else {@code POLYDEBATE_TEST_DATABASE_URL}, else the local one. */
    static String postgresBase() {
        String url = System.getProperty("bench.postgres");
        if (url == null || url.isBlank()) {
            url = System.getenv(TestDatabases.URL_VARIABLE);
        }
        if (url == null || url.isBlank()) {
            url = DEFAULT_POSTGRES;
        }
        return ConfigLoader.load(Map.of("DATABASE_URL", url.strip(), "JWT_SECRET_KEY", TestServer.TEST_JWT_SECRET),
                new SecureRandom()).databaseUrl();
    }

    /** A DATABASE_URL naming a fresh schema in the benchmark PostgreSQL, dropped when this JVM exits. */
    static String freshPostgres() {
        return TestDatabases.freshSchemaUrl(postgresBase());
    }

    /** The settings every benchmark server gets; upstreams not given point at a closed local port. */
    static Map<String, String> baseEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.put("APP_ENV", "development");
        env.put("LOG_LEVEL", "warn");
        env.put("JWT_SECRET_KEY", TestServer.TEST_JWT_SECRET);
        env.put("EMAIL_SERVICE", "console");
        for (String name : new String[] {"OPENROUTER_API_URL", "ELEVENLABS_API_URL", "GEMINI_API_URL",
                "POLYMARKET_GAMMA_URL", "POLYMARKET_WEB_URL", "POLYMARKET_CLOB_URL"}) {
            env.put(name, "http://127.0.0.1:9");
        }
        return env;
    }

    /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} gives them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** CPU seconds (user + system) this JVM has used. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * CPU seconds used so far by each process named {@code postgres} on this machine (the PostgreSQL server and all
     * its backends, whoever their clients are), by pid; empty when PostgreSQL runs elsewhere.
     */
    static Map<Long, Double> postgresCpu() {
        Map<Long, Double> cpu = new HashMap<>();
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path dir : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                try {
                    if (Files.readString(dir.resolve("comm")).trim().equals("postgres")) {
                        long pid = Long.parseLong(dir.getFileName().toString());
                        cpu.put(pid, cpuSeconds(pid));
                    }
                } catch (IOException | UncheckedIOException gone) {
                    // the process ended while the list was read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cpu;
    }

    /** CPU seconds the postgres processes used between two {@link #postgresCpu()} readings (ended ones unseen). */
    static double postgresCpuBetween(Map<Long, Double> before, Map<Long, Double> after) {
        return after.entrySet().stream().mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0)).sum();
    }

    /** The value at percentile {@code p} (nearest rank) of a sorted list. */
    static double percentile(List<? extends Number> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))).doubleValue();
    }

    static double mean(List<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).average().orElse(Double.NaN);
    }

    static double median(List<? extends Number> values) {
        List<Double> sorted = new ArrayList<>(values.stream().map(Number::doubleValue).toList());
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nanoseconds as milliseconds with two decimals. */
    static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** The class path of this run: under exec:java the classes come from the plugin's class loader. */
    static String classPath() {
        if (InstanceBench.class.getClassLoader() instanceof URLClassLoader loader) {
            StringBuilder path = new StringBuilder();
            for (URL url : loader.getURLs()) {
                try {
                    path.append(path.length() == 0 ? "" : java.io.File.pathSeparator).append(Path.of(url.toURI()));
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return path.toString();
        }
        return System.getProperty("java.class.path");
    }

    /** The real application in this JVM on the system clock, with its own storage directory. */
    static final class Server implements AutoCloseable {
        private final App app;
        private final Config config;
        private final TestHttp http;

        private Server(App app, Config config) {
            this.app = app;
            this.config = config;
            this.http = new TestHttp(baseUrl(app));
        }

        /** {@code env} over {@link #baseEnv()}; DATABASE_URL absent means SQLite in the storage directory. */
        static Server start(Map<String, String> env, DebateHooks hooks) {
            try {
                Map<String, String> vars = baseEnv();
                vars.putAll(env);
                vars.putIfAbsent("STORAGE_DIR", Files.createTempDirectory("polydebate-bench").toString());
                Config config = ConfigLoader.load(vars, new SecureRandom());
                return new Server(App.create(config, Clock.systemUTC(), new SecureRandom(), hooks).start(), config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String baseUrl(App app) {
            return "http://127.0.0.1:" + app.port();
        }

        String baseUrl() {
            return baseUrl(app);
        }

        TestHttp http() {
            return http;
        }

        Jdbi jdbi() {
            return app.database().jdbi();
        }

        String instanceId() {
            return config.instanceId();
        }

        /** An active user's bearer token, signed with the shared test secret (valid on every benchmark server). */
        String[] userAuth(String email) {
            UserDao users = jdbi().onDemand(UserDao.class);
            long id = users.insert(email, "Bench User", Timestamps.format(Clock.systemUTC().instant()), null, false);
            User user = users.findById(id).orElseThrow();
            return TestHttp.bearer(app.tokens().issue(user));
        }

        long lastSeq(String debateId) {
            return jdbi().withHandle(h -> h.createQuery("SELECT last_event_seq FROM debates WHERE debate_id = :id")
                    .bind("id", debateId).mapTo(Long.class).one());
        }

        String leaseOwner(String debateId) {
            return jdbi().withHandle(h -> h.createQuery("SELECT lease_owner FROM debates WHERE debate_id = :id")
                    .bind("id", debateId).mapTo(String.class).findOne().orElse(null));
        }

        @Override
        public void close() {
            app.close();
        }
    }

    /** One event as a viewer read it, with the {@link System#nanoTime()} at which its last line arrived. */
    record TimedEvent(long seq, String event, String data, long nanos) {
    }

    /** What one SSE connection got, and when its response started ({@code retry:} line). */
    record TimedStream(int status, long connectedNanos, List<TimedEvent> events, String failure) {
        boolean endedWith(String event) {
            return !events.isEmpty() && events.get(events.size() - 1).event().equals(event);
        }
    }

    private static final HttpClient SSE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * Reads the debate's stream until the server ends it, {@code more} answers false, or {@code limit} passes.
     */
    static TimedStream stream(String baseUrl, String debateId, Duration limit, Predicate<TimedEvent> more) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/debate/" + debateId + "/stream"))
                .header("Accept", "text/event-stream").timeout(limit).build();
        List<TimedEvent> events = new ArrayList<>();
        long connected = 0;
        int status = 0;
        long started = System.nanoTime();
        try {
            HttpResponse<InputStream> response = SSE.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                long seq = -1;
                String event = null;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("retry:")) {
                        connected = System.nanoTime();
                    } else if (line.startsWith("id: ")) {
                        seq = Long.parseLong(line.substring(4));
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        TimedEvent timed = new TimedEvent(seq, event, line.substring(6), System.nanoTime());
                        events.add(timed);
                        if (!more.test(timed)) {
                            break;
                        }
                    }
                }
            }
            return new TimedStream(status, connected, events, null);
        } catch (IOException e) {
            return new TimedStream(status, connected, events, e + " after "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() / 100 * 100 + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TimedStream(status, connected, events, "interrupted");
        }
    }
}
