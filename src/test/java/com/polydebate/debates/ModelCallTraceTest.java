package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Call;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 15 §3–4: the stored trace of every model call, who may read it, its retention, and the debate's cost. */
class ModelCallTraceTest {
    private static final String API_KEY = "or-test-key";

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();

    private static String answer(Call call) {
        ObjectNode answer = DebateHarness.MAPPER.createObjectNode();
        answer.put("argument", "Momentum favours the first outcome at 39.78% odds. More follows.");
        ObjectNode predictions = answer.putObject("predictions");
        List<String> names = DebateHarness.outcomeNames(call);
        for (int i = 0; i < names.size(); i++) {
            predictions.put(names.get(i), i == 0 ? 65 : 35);
        }
        return answer.toString();
    }

    /** The first call breaks off mid-stream with the recorded error chunk; the retry streams the whole answer. */
    private void firstAttemptBreaksOff() {
        AtomicInteger calls = new AtomicInteger();
        String recordedError = Fixtures.text("openrouter/chat-stream-midstream-error.txt");
        fakes.chat = call -> {
            if (calls.incrementAndGet() == 1) {
                List<FakeUpstream.Reply.Chunk> chunks = new ArrayList<>();
                DebateHarness.streamEvents(call, answer(call), 12).subList(0, 2)
                        .forEach(e -> chunks.add(FakeUpstream.Reply.Chunk.text(e)));
                chunks.add(FakeUpstream.Reply.Chunk.text(recordedError));
                return Reply.stream(chunks, Duration.ofMillis(5));
            }
            return DebateHarness.streamedReply(call, answer(call), 12, Duration.ofMillis(5));
        };
    }

    private static String finishedDebate(TestServer server, TestUser owner) {
        String debateId = DebateHarness.startDebate(server, owner, 1, MODEL_A);
        DebateHarness.stream(server.baseUrl(), debateId, null);
        return debateId;
    }

    private static JsonNode trace(TestServer server, String debateId, TestUser user) {
        TestResponse response = server.http().get("/api/debate/" + debateId + "/trace", user.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void the_trace_holds_the_request_each_attempt_the_raw_answer_the_fallback_and_the_usage() {
        firstAttemptBreaksOff();
        TestServer server = fakes.start();
        TestUser owner = server.newUser();
        String debateId = finishedDebate(server, owner);

        JsonNode page = trace(server, debateId, owner);
        assertThat(page.path("total").asInt()).isEqualTo(1);
        JsonNode call = page.path("calls").get(0);
        assertThat(call.path("model_id").asText()).isEqualTo(MODEL_A);
        assertThat(call.path("outcome").asText()).isEqualTo("message");
        assertThat(call.path("message_id").asText()).isNotBlank();
        assertThat(call.path("streamed").asBoolean()).isTrue();
        assertThat(call.path("parse_fallback").asText()).isEqualTo("json");

        JsonNode sent = DebateHarness.MAPPER.valueToTree(
                readTree(fakes.openRouter.calls("POST", "/chat/completions").get(1).body()));
        assertThat(call.path("request")).isEqualTo(sent);
        assertThat(call.path("request").path("model").asText()).isEqualTo(MODEL_A);
        assertThat(call.path("request").path("messages").size()).isGreaterThanOrEqualTo(2);

        JsonNode attempts = call.path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(attempts.get(0).path("error").asText()).contains("Token limit reached");
        assertThat(attempts.get(1).path("error").isNull()).isTrue();
        assertThat(attempts.get(1).path("time_to_first_token_ms").isNumber()).isTrue();
        assertThat(attempts.get(1).path("latency_ms").asLong())
                .isGreaterThanOrEqualTo(attempts.get(1).path("time_to_first_token_ms").asLong());

        String raw = call.path("raw_answer").asText();
        assertThat(raw).startsWith("{\"argument\":\"Momentum favours");
        JsonNode usage = call.path("usage");
        JsonNode recorded = DebateHarness.streamedUsage();
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(recorded.path("prompt_tokens").asLong());
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(recorded.path("completion_tokens").asLong());
        assertThat(usage.path("reasoning_tokens").asLong())
                .isEqualTo(recorded.path("completion_tokens_details").path("reasoning_tokens").asLong());
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(recorded.path("total_tokens").asLong());
        assertThat(usage.path("cost").asDouble()).isEqualTo(recorded.path("cost").asDouble());

        JsonNode results = server.http().get("/api/debate/" + debateId + "/results").json();
        assertThat(results.path("total_tokens").asLong()).isEqualTo(recorded.path("total_tokens").asLong());
        assertThat(results.path("total_cost").asDouble()).isEqualTo(recorded.path("cost").asDouble());
    }

    @Test
    void the_api_key_appears_neither_in_the_trace_nor_in_the_stored_rows() {
        firstAttemptBreaksOff();
        TestServer server = fakes.start();
        TestUser owner = server.newUser();
        String debateId = finishedDebate(server, owner);
        assertThat(fakes.openRouter.calls().get(0).header("Authorization")).isEqualTo("Bearer " + API_KEY);

        assertThat(server.http().get("/api/debate/" + debateId + "/trace", owner.auth()).body())
                .doesNotContain(API_KEY);
        List<String> stored = server.jdbi().withHandle(h -> h.createQuery(
                        "SELECT request || attempts || COALESCE(raw_answer, '') || COALESCE(error, '') "
                                + "FROM model_call_traces")
                .mapTo(String.class).list());
        assertThat(stored).isNotEmpty().allSatisfy(row -> assertThat(row).doesNotContain(API_KEY));
    }

    @Test
    void only_the_owner_and_administrators_may_read_a_trace() {
        TestServer server = fakes.start();
        TestUser owner = server.newUser();
        TestUser admin = server.createUser("admin@example.com", "Admin", true);
        TestUser other = server.newUser();
        String debateId = finishedDebate(server, owner);
        String path = "/api/debate/" + debateId + "/trace";

        assertThat(server.http().get(path, owner.auth()).status()).isEqualTo(200);
        assertThat(server.http().get(path, admin.auth()).status()).isEqualTo(200);
        TestResponse forbidden = server.http().get(path, other.auth());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(server.http().get(path).status()).isEqualTo(401);
        TestResponse unknown = server.http().get("/api/debate/0b7e3c1a-5d2f-4c8e-9a61-3f0d2b4c6e8a/trace",
                owner.auth());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").path("code").asText()).isEqualTo("debate_not_found");
    }

    @Test
    void a_plain_json_answer_is_traced_unstreamed_and_a_missing_cost_leaves_the_total_unknown() {
        TestServer server = fakes.start();
        TestUser owner = server.newUser();
        String debateId = finishedDebate(server, owner);
        JsonNode call = trace(server, debateId, owner).path("calls").get(0);
        assertThat(call.path("streamed").asBoolean()).isFalse();
        assertThat(call.path("usage").path("total_tokens").asLong()).isEqualTo(52);
        assertThat(call.path("usage").path("cost").isNull()).isTrue();
        assertThat(call.path("attempts").get(0).path("time_to_first_token_ms").isNull()).isTrue();
        JsonNode results = server.http().get("/api/debate/" + debateId + "/results").json();
        assertThat(results.path("total_tokens").asLong()).isEqualTo(52);
        assertThat(results.has("total_cost")).isTrue();
        assertThat(results.path("total_cost").isNull()).isTrue();
    }

    @Test
    void pages_of_the_trace_follow_limit_and_offset() {
        TestServer server = fakes.start();
        TestUser owner = server.newUser();
        String debateId = DebateHarness.startDebate(server, owner, 2, MODEL_A, DebateHarness.MODEL_B);
        DebateHarness.stream(server.baseUrl(), debateId, null);
        String path = "/api/debate/" + debateId + "/trace";
        JsonNode first = server.http().get(path + "?limit=3", owner.auth()).json();
        JsonNode second = server.http().get(path + "?limit=3&offset=3", owner.auth()).json();
        assertThat(first.path("total").asInt()).isEqualTo(4);
        assertThat(first.path("calls")).hasSize(3);
        assertThat(second.path("calls")).hasSize(1);
        assertThat(first.path("calls").get(0).path("turn").asInt()).isZero();
        assertThat(second.path("calls").get(0).path("turn").asInt()).isEqualTo(3);
    }

    @Test
    void traces_older_than_the_retention_are_purged_and_the_debate_keeps_its_totals() {
        firstAttemptBreaksOff();
        // Tokens outlive the month the clock jumps.
        TestServer server = fakes.start(fakes.server().env("TRACE_RETENTION_DAYS", "30")
                .env("JWT_EXPIRATION_MINUTES", "5000000"));
        TestUser owner = server.newUser();
        String debateId = finishedDebate(server, owner);

        server.clock().advance(Duration.ofDays(29));
        assertThat(server.app().purgeExpiredTraces()).isZero();
        assertThat(trace(server, debateId, owner).path("total").asInt()).isEqualTo(1);

        server.clock().advance(Duration.ofDays(2));
        assertThat(server.app().purgeExpiredTraces()).isEqualTo(1);
        assertThat(trace(server, debateId, owner).path("total").asInt()).isZero();
        JsonNode results = server.http().get("/api/debate/" + debateId + "/results").json();
        assertThat(results.path("total_cost").asDouble())
                .isEqualTo(DebateHarness.streamedUsage().path("cost").asDouble());
    }

    @Test
    void the_admin_debate_list_and_analytics_show_cost_and_time_to_first_token() {
        fakes.chat = call -> DebateHarness.streamedReply(call, answer(call), 12, Duration.ofMillis(5));
        TestServer server = fakes.start();
        TestUser owner = server.newUser();
        TestUser admin = server.createUser("admin@example.com", "Admin", true);
        String debateId = finishedDebate(server, owner);
        JsonNode recorded = DebateHarness.streamedUsage();

        JsonNode listed = server.http().get("/api/admin/debates", admin.auth()).json().path("data").get(0);
        assertThat(listed.path("id").asText()).isEqualTo(debateId);
        assertThat(listed.path("total_tokens").asLong()).isEqualTo(recorded.path("total_tokens").asLong());
        assertThat(listed.path("total_cost").asDouble()).isEqualTo(recorded.path("cost").asDouble());

        JsonNode models = server.http().get("/api/admin/analytics", admin.auth()).json().path("data").path("models");
        assertThat(models).hasSize(1);
        assertThat(models.get(0).path("model_id").asText()).isEqualTo(MODEL_A);
        assertThat(models.get(0).path("calls").asInt()).isEqualTo(1);
        assertThat(models.get(0).path("mean_cost").asDouble()).isEqualTo(recorded.path("cost").asDouble());
        long firstToken = trace(server, debateId, owner).path("calls").get(0).path("time_to_first_token_ms").asLong();
        assertThat(models.get(0).path("mean_time_to_first_token_ms").asDouble()).isEqualTo((double) firstToken);
    }

    @Test
    void the_metrics_endpoint_has_time_to_first_token_and_tokens_per_second_by_model() {
        fakes.chat = call -> DebateHarness.streamedReply(call, answer(call), 12, Duration.ofMillis(5));
        TestServer server = fakes.start();
        finishedDebate(server, server.newUser());
        String metrics = server.http().get("/metrics").body();
        assertThat(metrics).contains("polydebate_model_time_to_first_token_seconds_count{model=\"" + MODEL_A
                + "\"} 1");
        assertThat(metrics).contains("polydebate_model_tokens_per_second_count{model=\"" + MODEL_A + "\"} 1");
    }

    private static JsonNode readTree(String json) {
        try {
            return DebateHarness.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
