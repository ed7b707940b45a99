package com.polydebate.journeys;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.Main;
import com.polydebate.auth.TokenService;
import com.polydebate.auth.User;
import com.polydebate.auth.UserDao;
import com.polydebate.config.Config;
import com.polydebate.config.ConfigLoader;
import com.polydebate.db.Database;
import com.polydebate.db.Timestamps;
import com.polydebate.debates.DebateHarness;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.FreePort;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestHttp;
import com.polydebate.support.TestResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server as its own operating-system process ({@link Main}, as the fat jar starts it), killed with
 * SIGKILL in the middle of a debate and started again on the same storage: the debate must finish with every
 * turn exactly once, and a client reconnecting with {@code Last-Event-ID} must get the rest without gaps.
 */
class ProcessKillJourneyTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 3;
    private static final int MODELS = 2;

    @TempDir
    Path storage;

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private final FakeUpstream gemini = new FakeUpstream();
    private final List<ChildServer> children = new ArrayList<>();
    private final Map<String, String> extraEnv = new HashMap<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (ChildServer child : children) {
            child.kill();
        }
        gemini.close();
    }

    private Map<String, String> env(int port) {
        Map<String, String> env = ChildServer.debateEnv(fakes, storage, port);
        env.putAll(extraEnv);
        return env;
    }

    /**
     * Starts the server as its own process and waits until it answers its health check. Each process has its own
     * instance id (the default), so the restarted one takes the debate over once the killed one's lease expires.
     */
    private TestHttp launch(int port, String name) throws Exception {
        ChildServer child = ChildServer.launch(storage, name, env(port));
        children.add(child);
        return child.http();
    }

    /** The user row and a token signed with the server's secret, written before the server first starts. */
    private String userToken() {
        Config config = ConfigLoader.load(env(0), new SecureRandom());
        try (Database database = Database.open(config.databaseUrl())) {
            UserDao users = database.jdbi().onDemand(UserDao.class);
            long id = users.insert("owner@example.com", "Owner", Timestamps.format(Clock.systemUTC().instant()),
                    null, false);
            User user = users.findById(id).orElseThrow();
            return new TokenService(config, Clock.systemUTC(), new java.security.SecureRandom()).issue(user);
        }
    }

    @Test
    void a_server_killed_with_sigkill_mid_debate_finishes_it_after_a_restart_and_the_stream_resumes_without_gaps()
            throws Exception {
        fakes.answerAfter(Duration.ofMillis(200));
        String token = userToken();
        int firstPort = FreePort.any();
        TestHttp first = launch(firstPort, "first");
        TestResponse started = first.post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, ROUNDS, MODEL_A, MODEL_B), TestHttp.bearer(token));
        String id = DebateHarness.debateId(started);
        AtomicLong messages = new AtomicLong();

        LiveStream.Result before = LiveStream.read("http://127.0.0.1:" + firstPort, id, null, LIMIT,
                event -> !event.event().equals("message") || messages.incrementAndGet() < 2);
        children.get(0).kill();
        assertThat(before.endedByServer()).isFalse();
        long lastSeen = before.last().id();

        int secondPort = FreePort.any();
        TestHttp second = launch(secondPort, "second");
        LiveStream.Result rest = LiveStream.read("http://127.0.0.1:" + secondPort, id, String.valueOf(lastSeen),
                LIMIT);

        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.events()).isNotEmpty();
        for (int i = 0; i < rest.events().size(); i++) {
            assertThat(rest.events().get(i).id()).isEqualTo(lastSeen + 1 + i);
        }
        assertThat(rest.last().event()).isEqualTo("debate_complete");
        assertThat(rest.named("message")).as("turns run by the second process").isNotEmpty();
        List<SseEvent> seen = new ArrayList<>(before.events());
        seen.addAll(rest.events());
        LiveStream.Result replay = LiveStream.read("http://127.0.0.1:" + secondPort, id, null, LIMIT);
        assertThat(replay.events()).extracting(SseEvent::id).containsExactlyElementsOf(
                seen.stream().map(SseEvent::id).toList());
        assertThat(replay.events()).extracting(SseEvent::event).containsExactlyElementsOf(
                seen.stream().map(SseEvent::event).toList());
        for (int i = 0; i < replay.events().size(); i++) {
            assertThat(replay.events().get(i).id()).isEqualTo(i + 1);
        }
        assertThat(replay.named("debate_started")).hasSize(1);
        List<SseEvent> turns = new ArrayList<>(replay.named("message"));
        replay.named("debate_error").stream().filter(e -> e.data().has("model_id")).forEach(turns::add);
        assertThat(turns).hasSize(MODELS * ROUNDS);
        Set<String> turnKeys = new HashSet<>();
        for (SseEvent turn : turns) {
            turnKeys.add(turn.data().path("round").asInt() + "/" + turn.data().path("model_id").asText());
        }
        assertThat(turnKeys).hasSize(MODELS * ROUNDS);
        List<Integer> sequences = replay.named("message").stream()
                .map(e -> e.data().path("sequence").asInt()).toList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= sequences.size(); i++) {
            expected.add(i);
        }
        assertThat(sequences).containsExactlyElementsOf(expected);
        assertThat(replay.last().data().path("total_messages").asInt()).isEqualTo(sequences.size());

        JsonNode debate = second.get("/api/debate/" + id).json();
        assertThat(debate.path("status").asText()).isEqualTo("completed");
        assertThat(debate.path("messages_count").asInt()).isEqualTo(sequences.size());
        assertThat(debate.path("final_summary").path("source").asText()).isEqualTo("local");
        assertThat(debate.path("final_predictions").size()).isEqualTo(MODELS);
        assertThat(LiveStream.read("http://127.0.0.1:" + secondPort, id, String.valueOf(replay.last().id()), LIMIT)
                .status()).isEqualTo(204);
    }

    @Test
    void a_server_killed_while_the_summary_is_being_generated_still_ends_the_debate_with_its_results_after_a_restart()
            throws Exception {
        String geminiPath = "/v1beta/models/gemini-2.5-flash:generateContent";
        String answer = Fixtures.text("gemini/generate-content.json").replace("Hello! How can I help you today?",
                "{\\\"overall\\\": \\\"Both models favoured the first outcome.\\\", \\\"consensus\\\": \\\"Agreement.\\\"}");
        gemini.on("POST", geminiPath, call -> Reply.json(200, answer).delayed(Duration.ofSeconds(20)));
        extraEnv.put("GEMINI_API_KEY", "gem-test-key");
        extraEnv.put("GEMINI_API_URL", gemini.baseUrl() + "/v1beta");
        extraEnv.put("GEMINI_TIMEOUT_SECONDS", "30");
        String token = userToken();
        int firstPort = FreePort.any();
        TestHttp first = launch(firstPort, "first");
        String id = DebateHarness.debateId(first.post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A, MODEL_B), TestHttp.bearer(token)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gemini.count("POST", geminiPath) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(gemini.count("POST", geminiPath)).as("summary generation started").isEqualTo(1);
        children.get(0).kill();
        gemini.on("POST", geminiPath, call -> Reply.json(200, answer));

        int secondPort = FreePort.any();
        TestHttp second = launch(secondPort, "second");
        java.util.concurrent.atomic.AtomicReference<JsonNode> fetched = new java.util.concurrent.atomic.AtomicReference<>();
        LiveStream.Result stream = LiveStream.read("http://127.0.0.1:" + secondPort, id, null, LIMIT, event -> {
            if (event.event().equals("debate_complete")) {
                fetched.set(second.get("/api/debate/" + id).json());
            }
            return true;
        });

        assertThat(stream.last().event()).isEqualTo("debate_complete");
        assertThat(stream.named("debate_complete")).hasSize(1);
        JsonNode complete = stream.last().data();
        assertThat(complete.path("total_rounds").asInt()).isEqualTo(1);
        assertThat(complete.path("total_messages").asInt()).isEqualTo(2);
        assertThat(complete.has("duration_seconds")).isTrue();
        JsonNode debate = fetched.get();
        assertThat(debate.path("status").asText()).isEqualTo("completed");
        assertThat(debate.path("final_predictions").size()).isEqualTo(MODELS);
        assertThat(debate.path("final_summary").isObject()).isTrue();
        TestResponse results = second.get("/api/debate/" + id + "/results");
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.json().path("summary")).isEqualTo(debate.path("final_summary"));
    }
}
