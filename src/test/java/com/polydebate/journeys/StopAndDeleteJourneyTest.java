package com.polydebate.journeys;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.debates.DebateHarness;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who may stop or delete a running debate, and what its live viewers see when it happens (§9.4, §9.7). */
class StopAndDeleteJourneyTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private TestServer server;
    private TestUser owner;

    @BeforeEach
    void start() {
        fakes.answerAfter(Duration.ofMillis(200));
        server = fakes.start();
        owner = server.createUser("owner@example.com");
    }

    private String startDebate() {
        return DebateHarness.startDebate(server, owner, 3, MODEL_A, MODEL_B);
    }

    /** Watches the debate and runs {@code action} once, when the first message arrives. */
    private LiveStream.Result watchAndOnFirstMessage(String id, Function<String, TestResponse> action,
                                                     AtomicReference<TestResponse> answer) {
        return LiveStream.read(server.baseUrl(), id, null, LIMIT, event -> {
            if (event.event().equals("message") && answer.get() == null) {
                answer.set(action.apply(id));
            }
            return true;
        });
    }

    @Test
    void deleting_a_running_debate_stops_it_for_its_live_viewers_and_then_hides_it() {
        String id = startDebate();
        AtomicReference<TestResponse> deletion = new AtomicReference<>();

        LiveStream.Result stream = watchAndOnFirstMessage(id,
                debate -> server.http().delete("/api/debates/" + debate, owner.auth()), deletion);

        assertThat(deletion.get().status()).isEqualTo(200);
        assertThat(stream.endedByServer()).isTrue();
        assertThat(stream.last().event()).isEqualTo("debate_stopped");
        assertThat(stream.last().data().path("stopped_by").asText()).isEqualTo("user");
        assertThat(server.http().get("/api/debate/" + id).status()).isEqualTo(404);
        assertThat(server.http().get("/api/debate/" + id + "/stream").status()).isEqualTo(404);
        String stored = server.jdbi().withHandle(h -> h.createQuery(
                "SELECT status FROM debates WHERE debate_id = :id").bind("id", id).mapTo(String.class).one());
        assertThat(stored).isEqualTo("stopped");
        assertThat(fakes.chatCalls()).isLessThan(6);
    }

    @Test
    void an_admin_may_stop_someone_elses_debate_and_viewers_see_it_was_an_admin() {
        TestUser admin = server.createUser("admin@example.com", "Admin", true);
        String id = startDebate();
        AtomicReference<TestResponse> stop = new AtomicReference<>();

        LiveStream.Result stream = watchAndOnFirstMessage(id,
                debate -> server.http().post("/api/debate/" + debate + "/stop", null, admin.auth()), stop);

        assertThat(stop.get().status()).isEqualTo(200);
        assertThat(stream.last().event()).isEqualTo("debate_stopped");
        assertThat(stream.last().data().path("stopped_by").asText()).isEqualTo("admin");
        TestResponse adminDelete = server.http().delete("/api/debates/" + id, admin.auth());
        assertThat(adminDelete.status()).isEqualTo(200);
        assertThat(server.http().get("/api/debate/" + id).status()).isEqualTo(404);
    }

    @Test
    void another_user_can_neither_control_nor_delete_a_debate() {
        TestUser stranger = server.createUser("stranger@example.com");
        String id = startDebate();

        for (String action : List.of("pause", "resume", "stop")) {
            TestResponse refused = server.http().post("/api/debate/" + id + "/" + action, null, stranger.auth());
            assertThat(refused.status()).as(action).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("forbidden");
        }
        TestResponse refusedDelete = server.http().delete("/api/debates/" + id, stranger.auth());
        assertThat(refusedDelete.status()).isEqualTo(403);
        assertThat(refusedDelete.errorCode()).isEqualTo("forbidden");
        assertThat(server.http().post("/api/debate/" + id + "/stop", null).status()).isEqualTo(401);

        LiveStream.Result stream = LiveStream.read(server.baseUrl(), id, null, LIMIT);
        assertThat(stream.last().event()).isEqualTo("debate_complete");
        assertThat(stream.named("message")).hasSize(6);
    }
}
