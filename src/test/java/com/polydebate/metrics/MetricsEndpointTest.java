package com.polydebate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /metrics: the Prometheus text, labels that never carry raw paths, upstream, pool and JVM meters, the token. */
class MetricsEndpointTest {
    private final FakeUpstream gamma = new FakeUpstream();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        gamma.close();
    }

    /** One sample line: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
        String label(String key) {
            return labels.get(key);
        }
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+-?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]*( .*)?");

    /** Parses the Prometheus text format strictly: every line is a HELP/TYPE comment or a numeric sample. */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                assertThat(line).as("comment line").matches(COMMENT);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: " + line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                assertThat(end).as("labels of: " + line).isEqualTo(m.group(2).length());
            }
            samples.add(new Sample(m.group(1), labels, number(m.group(3), line)));
        }
        return samples;
    }

    private static double number(String value, String line) {
        switch (value) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new AssertionError("not a number in: " + line, e);
                }
        }
    }

    private List<Sample> scrape(String... headers) {
        TestResponse response = server.http().get("/metrics", headers);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        return parse(response.body());
    }

    private static List<Sample> named(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    @Test
    void metrics_answer_prometheus_text_that_parses_with_numeric_values() {
        server = TestServer.start();

        TestResponse response = server.http().get("/metrics");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(response.body()).contains("# HELP ").contains("# TYPE ");
        assertThat(parse(response.body())).isNotEmpty();
    }

    @Test
    void http_requests_are_labelled_by_route_template_never_by_raw_path() {
        server = TestServer.start();
        String debateId = "debate-" + UUID.randomUUID();
        String randomPath = "/no-such-" + UUID.randomUUID();

        server.http().get("/api/debate/" + debateId);
        assertThat(server.http().get(randomPath).status()).isEqualTo(404);
        String text = server.http().get("/metrics").body();
        List<Sample> requests = named(parse(text), "polydebate_http_server_requests_seconds_count");

        assertThat(requests).anySatisfy(s -> {
            assertThat(s.label("route")).isEqualTo("/api/debate/{debate_id}");
            assertThat(s.label("method")).isEqualTo("GET");
            assertThat(s.value()).isEqualTo(1.0);
        });
        assertThat(requests).anySatisfy(s -> {
            assertThat(s.label("route")).isEqualTo("NOT_FOUND");
            assertThat(s.label("status")).isEqualTo("404");
        });
        assertThat(text).doesNotContain(debateId).doesNotContain(randomPath.substring(1));
        assertThat(named(parse(text), "polydebate_http_server_requests_seconds_bucket"))
                .as("latency histogram buckets").isNotEmpty();
    }

    @Test
    void upstream_calls_are_counted_by_service_and_outcome() {
        gamma.on("GET", "/events/pagination", call -> Reply.json(500, "{\"error\":\"down\"}"));
        gamma.on("GET", "/events", call -> Reply.json(500, "{\"error\":\"down\"}"));
        server = TestServer.builder()
                .env("POLYMARKET_GAMMA_URL", gamma.baseUrl())
                .env("OPENROUTER_API_URL", "http://127.0.0.1:9/openrouter")
                .start();

        server.http().get("/api/markets");
        server.http().get("/api/models");
        List<Sample> calls = named(scrape(), "polydebate_upstream_requests_seconds_count");

        assertThat(gamma.calls()).isNotEmpty();
        assertThat(calls).anySatisfy(s -> {
            assertThat(s.label("service")).isEqualTo("gamma");
            assertThat(s.label("outcome")).isEqualTo("http_5xx");
            assertThat(s.value()).isGreaterThanOrEqualTo(1.0);
        });
        assertThat(calls).anySatisfy(s -> {
            assertThat(s.label("service")).isEqualTo("openrouter");
            assertThat(s.label("outcome")).isEqualTo("error");
        });
        assertThat(calls).allSatisfy(s -> assertThat(s.labels().toString()).doesNotContain("127.0.0.1"));
    }

    @Test
    void successful_upstream_calls_are_labelled_success() {
        gamma.on("GET", "/events/pagination", call -> Reply.json(200, "{\"data\":"
                + Fixtures.text("polymarket-gamma/events-list.json") + ",\"pagination\":{\"hasMore\":false}}"));
        gamma.on("GET", "/events", call -> Reply.json(200, Fixtures.text("polymarket-gamma/events-list.json")));
        server = TestServer.builder().env("POLYMARKET_GAMMA_URL", gamma.baseUrl()).start();

        assertThat(server.http().get("/api/markets").status()).isEqualTo(200);
        List<Sample> calls = named(scrape(), "polydebate_upstream_requests_seconds_count");

        assertThat(calls).anySatisfy(s -> {
            assertThat(s.label("service")).isEqualTo("gamma");
            assertThat(s.label("outcome")).isEqualTo("success");
        });
        assertThat(named(scrape(), "polydebate_upstream_requests_seconds_bucket")).isNotEmpty();
    }

    @Test
    void pool_jvm_and_debate_meters_are_present() {
        server = TestServer.start();

        List<Sample> samples = scrape();

        assertThat(samples).extracting(Sample::name).contains(
                "hikaricp_connections_active", "hikaricp_connections_max",
                "jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "system_cpu_count", "process_uptime_seconds",
                "polydebate_debate_jobs_running", "polydebate_debate_jobs_owned", "polydebate_sse_viewers");
        assertThat(named(samples, "hikaricp_connections_max"))
                .anySatisfy(s -> assertThat(s.label("pool")).isEqualTo("polydebate-db"));
        assertThat(named(samples, "polydebate_debates")).extracting(s -> s.label("status"))
                .containsExactlyInAnyOrder(MetricsFeature.STATUSES.toArray(String[]::new));
        assertThat(named(samples, "polydebate_debates")).allSatisfy(s -> assertThat(s.value()).isZero());
    }

    @Test
    void debates_by_status_are_read_from_the_database_at_most_every_ten_seconds() {
        server = TestServer.start();
        long userId = server.newUser().id();
        TestDebates.debate(server.jdbi(), userId).status("completed").insert();
        TestDebates.debate(server.jdbi(), userId).status("completed").insert();
        TestDebates.debate(server.jdbi(), userId).status("stopped").insert();
        TestDebates.debate(server.jdbi(), userId).status("stopped").deleted().insert();

        assertThat(debatesWith("completed")).isEqualTo(2.0);
        assertThat(debatesWith("stopped")).as("deleted debates are not counted").isEqualTo(1.0);
        assertThat(debatesWith("failed")).isZero();

        TestDebates.debate(server.jdbi(), userId).status("failed").insert();
        server.clock().advance(Duration.ofSeconds(5));
        assertThat(debatesWith("failed")).as("within 10 s the last count is served").isZero();
        server.clock().advance(Duration.ofSeconds(6));
        assertThat(debatesWith("failed")).isEqualTo(1.0);
    }

    private double debatesWith(String status) {
        return named(scrape(), "polydebate_debates").stream().filter(s -> status.equals(s.label("status")))
                .findFirst().orElseThrow().value();
    }

    @Test
    void with_a_metrics_token_the_endpoint_wants_it_as_bearer() {
        server = TestServer.builder().env("METRICS_TOKEN", "scrape-secret-123").start();

        TestResponse without = server.http().get("/metrics");
        TestResponse wrong = server.http().get("/metrics", TestHttp.bearer("scrape-secret-124"));
        TestResponse right = server.http().get("/metrics", TestHttp.bearer("scrape-secret-123"));

        assertThat(without.status()).isEqualTo(401);
        assertThat(without.errorCode()).isEqualTo("unauthorized");
        assertThat(without.json().path("error").path("message").asText()).isNotBlank();
        assertThat(without.json().path("error").path("timestamp").asText()).isNotBlank();
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("unauthorized");
        assertThat(wrong.body()).doesNotContain("jvm_");
        assertThat(right.status()).isEqualTo(200);
        assertThat(parse(right.body())).isNotEmpty();
    }
}
