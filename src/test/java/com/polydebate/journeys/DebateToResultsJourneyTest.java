package com.polydebate.journeys;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.debates.DebateHarness;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Call;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A debate from start to report, across the debate engine, the stream, the results feature and Gemini: what
 * the stock frontend sees when it fetches the debate right after {@code debate_complete} (§11.12, §22.2).
 */
class DebateToResultsJourneyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** Per model, its first-outcome percentage in round 1, 2, 3: the models end on different favourites. */
    private static final Map<String, double[]> FIRST_OUTCOME = Map.of(
            MODEL_A, new double[] {60, 70, 72}, MODEL_B, new double[] {55, 45, 40});

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private final FakeUpstream gemini = new FakeUpstream();
    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
    private TestServer server;
    private TestUser owner;

    @BeforeEach
    void answersDifferPerModelAndRound() {
        fakes.chat = call -> Reply.json(200, DebateHarness.completion(call, answer(call)));
    }

    @AfterEach
    void close() {
        gemini.close();
    }

    private String answer(Call call) {
        String model = DebateHarness.model(call);
        int turn = turns.computeIfAbsent(model, m -> new AtomicInteger()).getAndIncrement();
        double first = FIRST_OUTCOME.get(model)[Math.min(turn, 2)];
        List<String> names = DebateHarness.outcomeNames(call);
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("argument", model + " puts " + names.get(0) + " at " + (int) first + "% in turn " + (turn + 1) + ".");
        ObjectNode predictions = answer.putObject("predictions");
        predictions.put(names.get(0), first);
        predictions.put(names.get(1), 100 - first);
        return answer.toString();
    }

    private void startServer(boolean withGemini) {
        TestServer.Builder builder = fakes.server().env("GEMINI_API_URL", gemini.baseUrl() + "/v1beta");
        if (withGemini) {
            builder.env("GEMINI_API_KEY", "gem-test-key");
        }
        server = fakes.start(builder);
        owner = server.createUser("owner@example.com");
    }

    private String start(int rounds) {
        return DebateHarness.startDebate(server, owner, rounds, MODEL_A, MODEL_B);
    }

    /** Streams the debate and, like the frontend, fetches it the moment {@code debate_complete} arrives. */
    private JsonNode debateFetchedOnComplete(String id, List<SseEvent> received) {
        AtomicReference<TestResponse> fetched = new AtomicReference<>();
        LiveStream.Result stream = LiveStream.read(server.baseUrl(), id, null, LIMIT, event -> {
            if (event.event().equals("debate_complete")) {
                fetched.set(server.http().get("/api/debate/" + id));
            }
            return true;
        });
        received.addAll(stream.events());
        assertThat(stream.last().event()).isEqualTo("debate_complete");
        assertThat(fetched.get().status()).isEqualTo(200);
        return fetched.get().json();
    }

    private static Map<String, Double> asMap(JsonNode object) {
        Map<String, Double> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asDouble()));
        return map;
    }

    private static Map<String, Integer> asIntMap(JsonNode object) {
        Map<String, Integer> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asInt()));
        return map;
    }

    /** The last emitted message's predictions per model, as the stream delivered them. */
    private static Map<String, Map<String, Double>> lastPredictions(List<SseEvent> events) {
        Map<String, Map<String, Double>> last = new LinkedHashMap<>();
        for (SseEvent e : events) {
            if (e.event().equals("message")) {
                last.put(e.data().path("model_id").asText(), asMap(e.data().path("predictions")));
            }
        }
        return last;
    }

    private static int roundHalfUp(double value) {
        return BigDecimal.valueOf(value).setScale(0, RoundingMode.HALF_UP).intValue();
    }

    private static String geminiSummary() {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.text("gemini/generate-content.json"));
            String summary = """
                    {"overall": "Claude moved towards Yes while Grok drifted to No.",
                     "agreements": ["Both models quoted the market's own odds."],
                     "disagreements": [{"topic": "Most likely outcome", "positions": {"Claude": "Yes", "Grok": "No"}}],
                     "consensus": "The models split.",
                     "model_rationales": []}""";
            ((ObjectNode) root.path("candidates").get(0).path("content").path("parts").get(0)).put("text", summary);
            return root.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void the_debate_fetched_right_after_debate_complete_already_carries_the_local_summary_and_final_predictions() {
        startServer(false);
        String id = start(2);
        List<SseEvent> events = new ArrayList<>();

        JsonNode debate = debateFetchedOnComplete(id, events);

        assertThat(debate.path("status").asText()).isEqualTo("completed");
        assertThat(debate.path("messages_count").asInt()).isEqualTo(4);
        assertThat(debate.path("messages")).hasSize(4);
        assertThat(debate.path("current_round").asInt()).isEqualTo(2);
        JsonNode summary = debate.path("final_summary");
        assertThat(summary.isObject()).isTrue();
        assertThat(summary.path("source").asText()).isEqualTo("local");
        assertThat(summary.path("fallback_reason").asText()).isEqualTo("gemini_not_configured");
        Map<String, Map<String, Double>> last = lastPredictions(events);
        assertThat(last).containsOnlyKeys(MODEL_A, MODEL_B);
        JsonNode finals = debate.path("final_predictions");
        assertThat(finals.size()).isEqualTo(2);
        for (String model : List.of(MODEL_A, MODEL_B)) {
            assertThat(asMap(finals.path(model).path("predictions"))).isEqualTo(last.get(model));
        }

        TestResponse results = server.http().get("/api/debate/" + id + "/results");
        assertThat(results.status()).isEqualTo(200);
        JsonNode body = results.json();
        assertThat(body.path("summary")).isEqualTo(summary);
        assertThat(body.path("final_predictions")).isEqualTo(finals);
        JsonNode statistics = body.path("statistics");
        List<String> outcomes = new ArrayList<>();
        debate.path("outcomes").forEach(o -> outcomes.add(o.path("name").asText()));
        Map<String, Integer> expectedAverage = new LinkedHashMap<>();
        List<Double> pooled = new ArrayList<>();
        for (String outcome : outcomes) {
            double a = last.get(MODEL_A).get(outcome);
            double b = last.get(MODEL_B).get(outcome);
            expectedAverage.put(outcome, roundHalfUp((a + b) / 2));
            pooled.add(a);
            pooled.add(b);
        }
        assertThat(asIntMap(statistics.path("average_prediction"))).isEqualTo(expectedAverage);
        assertThat(asIntMap(statistics.path("median_prediction"))).isEqualTo(expectedAverage);
        double mean = pooled.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = pooled.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (pooled.size() - 1);
        assertThat(statistics.path("prediction_variance").asDouble())
                .isEqualTo(BigDecimal.valueOf(variance).setScale(1, RoundingMode.HALF_UP).doubleValue());
        Map<String, Integer> odds = asIntMap(debate.path("polymarket_odds"));
        assertThat(asIntMap(statistics.path("polymarket_odds"))).isEqualTo(odds);
        assertThat(statistics.path("total_messages").asInt()).isEqualTo(4);
        assertThat(statistics.path("models_count").asInt()).isEqualTo(2);
        assertThat(statistics.path("rounds_completed").asInt()).isEqualTo(2);
        assertThat(server.http().get("/api/debate/" + id).json().path("final_summary")).isEqualTo(summary);

        TestResponse transcript = server.http().get("/api/debate/" + id + "/transcript");
        assertThat(transcript.status()).isEqualTo(200);
        assertThat(transcript.json().path("messages")).hasSize(4);

        // The local summary only repeats numbers the data holds: counts, averages and the market odds.
        String question = debate.path("market_question").asText();
        String overall = summary.path("overall").asText();
        assertThat(overall).contains("\"" + question + "\"");
        String favourite = expectedAverage.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(overall).contains(favourite + " at " + expectedAverage.get(favourite) + "%")
                .contains(odds.get(favourite) + "% on Polymarket");
        Set<String> known = new HashSet<>(List.of("2", "4"));
        expectedAverage.values().forEach(v -> known.add(String.valueOf(v)));
        odds.values().forEach(v -> known.add(String.valueOf(v)));
        Matcher numbers = Pattern.compile("\\d+(\\.\\d+)?").matcher(overall.replace(question, ""));
        while (numbers.find()) {
            assertThat(known).as("number %s in %s", numbers.group(), overall).contains(numbers.group());
        }
        String main = outcomes.get(0);
        assertThat(summary.path("consensus").asText())
                .contains(expectedAverage.get(main) + "%").contains(odds.get(main) + "%")
                .contains(statistics.path("ai_vs_market_delta").asText());
        // Claude ends on the first outcome, Grok on the second: a disagreement, no agreement.
        assertThat(summary.path("agreements")).isEmpty();
        JsonNode positions = summary.path("disagreements").get(0).path("positions");
        assertThat(positions.size()).isEqualTo(2);
        JsonNode rationales = summary.path("model_rationales");
        assertThat(rationales).hasSize(2);
        List<JsonNode> messages = new ArrayList<>();
        debate.path("messages").forEach(messages::add);
        for (JsonNode rationale : rationales) {
            JsonNode lastOwn = messages.stream()
                    .filter(m -> m.path("model_name").asText().equals(rationale.path("model").asText()))
                    .reduce((x, y) -> y).orElseThrow();
            assertThat(rationale.path("rationale").asText()).isEqualTo(lastOwn.path("text").asText());
            assertThat(rationale.path("final_prediction")).isEqualTo(lastOwn.path("predictions"));
        }
        assertThat(gemini.calls()).isEmpty();
    }

    @Test
    void with_gemini_configured_the_summary_comes_from_one_gemini_call_even_under_concurrent_results_requests()
            throws Exception {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiSummary()).delayed(Duration.ofMillis(50)));
        startServer(true);
        String id = start(2);

        JsonNode debate = debateFetchedOnComplete(id, new ArrayList<>());

        JsonNode summary = debate.path("final_summary");
        assertThat(summary.path("source").asText()).isEqualTo("gemini");
        assertThat(summary.path("overall").asText()).isEqualTo("Claude moved towards Yes while Grok drifted to No.");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<TestResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit(() -> server.http().get("/api/debate/" + id + "/results")));
            }
            for (Future<TestResponse> answer : answers) {
                TestResponse response = answer.get();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.json().path("summary")).isEqualTo(summary);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(1);
        assertThat(gemini.calls("POST", GEMINI_PATH).get(0).header("x-goog-api-key"))
                .isEqualTo("gem-test-key");
    }

    @Test
    void a_debate_stopped_by_its_owner_ends_its_stream_and_gets_its_summary_once_on_the_first_results_request() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiSummary()));
        fakes.chat = call -> Reply.json(200, DebateHarness.completion(call, answer(call))).delayed(Duration.ofMillis(300));
        startServer(true);
        String id = start(3);
        AtomicReference<TestResponse> stopped = new AtomicReference<>();

        LiveStream.Result stream = LiveStream.read(server.baseUrl(), id, null, LIMIT, event -> {
            if (event.event().equals("message") && stopped.get() == null) {
                stopped.set(server.http().post("/api/debate/" + id + "/stop", null, owner.auth()));
            }
            return true;
        });

        assertThat(stopped.get().status()).isEqualTo(200);
        assertThat(stopped.get().json().path("status").asText()).isEqualTo("stopped");
        assertThat(stream.endedByServer()).isTrue();
        assertThat(stream.last().event()).isEqualTo("debate_stopped");
        assertThat(stream.last().data().path("stopped_by").asText()).isEqualTo("user");
        assertThat(stream.named("debate_complete")).isEmpty();
        int emitted = stream.named("message").size();
        assertThat(emitted).isBetween(1, 5);
        JsonNode debate = server.http().get("/api/debate/" + id).json();
        assertThat(debate.path("status").asText()).isEqualTo("stopped");
        assertThat(debate.path("messages_count").asInt()).isEqualTo(emitted);
        assertThat(gemini.calls()).isEmpty();

        TestResponse first = server.http().get("/api/debate/" + id + "/results");
        TestResponse second = server.http().get("/api/debate/" + id + "/results");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("status").asText()).isEqualTo("stopped");
        assertThat(first.json().path("summary").path("source").asText()).isEqualTo("gemini");
        assertThat(first.json().path("statistics").path("total_messages").asInt()).isEqualTo(emitted);
        assertThat(second.json().path("summary")).isEqualTo(first.json().path("summary"));
        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(1);
        JsonNode after = server.http().get("/api/debate/" + id).json();
        assertThat(after.path("status").asText()).isEqualTo("stopped");
        assertThat(after.path("final_summary")).isEqualTo(first.json().path("summary"));
        // The browser reconnects after the server closed the stream; 204 makes EventSource give up (§22.29).
        assertThat(LiveStream.read(server.baseUrl(), id, String.valueOf(stream.last().id()), LIMIT).status())
                .isEqualTo(204);
    }

    @Test
    void ten_concurrent_first_results_requests_for_a_stopped_debate_share_one_gemini_call() throws Exception {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(200, geminiSummary()).delayed(Duration.ofMillis(400)));
        fakes.chat = call -> Reply.json(200, DebateHarness.completion(call, answer(call))).delayed(Duration.ofMillis(200));
        startServer(true);
        String id = start(3);
        LiveStream.Result stream = LiveStream.read(server.baseUrl(), id, null, LIMIT, event -> {
            if (event.event().equals("message")) {
                server.http().post("/api/debate/" + id + "/stop", null, owner.auth());
            }
            return true;
        });
        assertThat(stream.last().event()).isEqualTo("debate_stopped");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<JsonNode> summaries = new ArrayList<>();
        try {
            List<Future<TestResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit(() -> server.http().get("/api/debate/" + id + "/results")));
            }
            for (Future<TestResponse> answer : answers) {
                TestResponse response = answer.get();
                assertThat(response.status()).isEqualTo(200);
                summaries.add(response.json().path("summary"));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(1);
        assertThat(summaries.get(0).path("source").asText()).isEqualTo("gemini");
        assertThat(summaries).allSatisfy(s -> assertThat(s).isEqualTo(summaries.get(0)));
        assertThat(server.http().get("/api/debate/" + id).json().path("final_summary")).isEqualTo(summaries.get(0));
    }

    @Test
    void a_gemini_failure_at_completion_stores_the_local_summary_and_results_do_not_call_gemini_again() {
        gemini.on("POST", GEMINI_PATH, call -> Reply.json(404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}"));
        startServer(true);
        String id = start(2);

        JsonNode debate = debateFetchedOnComplete(id, new ArrayList<>());

        JsonNode summary = debate.path("final_summary");
        assertThat(summary.path("source").asText()).isEqualTo("local");
        assertThat(summary.path("fallback_reason").asText()).isEqualTo("gemini_error");
        int calls = gemini.count("POST", GEMINI_PATH);
        assertThat(calls).isPositive();
        TestResponse results = server.http().get("/api/debate/" + id + "/results");
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.json().path("summary")).isEqualTo(summary);
        assertThat(gemini.count("POST", GEMINI_PATH)).isEqualTo(calls);
    }
}
