package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.debates.DebateHarness.SseResult;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PipelineAndStreamTest {
    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private TestServer server;

    @Test
    void the_next_model_is_asked_while_speech_runs_with_at_most_two_speech_calls_and_messages_stay_in_order()
            throws Exception {
        AtomicInteger speaking = new AtomicInteger();
        AtomicInteger maxSpeaking = new AtomicInteger();
        AtomicInteger chatsDuringSpeech = new AtomicInteger();
        fakes.chat = call -> {
            if (speaking.get() > 0) {
                chatsDuringSpeech.incrementAndGet();
            }
            return DebateHarness.defaultReply(call).delayed(Duration.ofMillis(60));
        };
        fakes.speech = call -> {
            maxSpeaking.accumulateAndGet(speaking.incrementAndGet(), Math::max);
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                speaking.decrementAndGet();
            }
            return Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(5));
        };
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        // Round 1 in turn too, so that every prompt quotes every earlier message.
        String id = DebateHarness.startDebate(server, owner, 3, false, MODEL_A, MODEL_B);

        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        List<JsonNode> messages = result.events().stream().filter(e -> e.event().equals("message"))
                .map(SseEvent::data).toList();
        assertThat(messages).extracting(m -> m.path("sequence").asInt()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(messages).allSatisfy(m -> assertThat(m.path("audio_url").isTextual()).isTrue());
        assertThat(maxSpeaking.get()).isLessThanOrEqualTo(2);
        assertThat(chatsDuringSpeech.get()).isGreaterThan(0);
        // §11.4: every earlier message is in the prompt, including those whose audio was still pending.
        var calls = fakes.openRouter.calls("POST", "/chat/completions");
        for (int k = 0; k < calls.size(); k++) {
            assertThat(DebateHarness.requestMessages(calls.get(k))).hasSize(k + 2);
        }
        List<String> names = result.events().stream().map(SseEvent::event).toList();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals("message")) {
                assertThat(names.get(i - 1)).isEqualTo("model_thinking");
            }
        }
    }

    @Test
    void stopping_flushes_messages_whose_audio_is_pending_with_the_cancellation_error() throws Exception {
        fakes.chat = DebateHarness::defaultReply;
        fakes.speech = call -> Reply.bytes(200, "audio/mpeg", DebateHarness.mp3(5)).delayed(Duration.ofSeconds(4));
        server = fakes.start();
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 3, MODEL_A);
        long deadline = System.currentTimeMillis() + 5000;
        while (fakes.chatCalls() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }

        TestResponse stopped = server.http().post("/api/debate/" + id + "/stop", null, owner.auth());
        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        assertThat(stopped.status()).isEqualTo(200);
        List<JsonNode> messages = result.events().stream().filter(e -> e.event().equals("message"))
                .map(SseEvent::data).toList();
        assertThat(messages).isNotEmpty();
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.path("audio_url").isNull()).isTrue();
            assertThat(m.path("audio_error").asText()).isEqualTo("Audio generation cancelled (debate stopped)");
        });
        assertThat(result.events().get(result.events().size() - 1).event()).isEqualTo("debate_stopped");
        int stored = server.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM messages WHERE debate_id = :id")
                .bind("id", id).mapTo(Integer.class).one());
        assertThat(stored).isEqualTo(messages.size());
    }

    @Test
    void a_debate_stopped_before_its_job_starts_has_debate_stopped_first() {
        server = fakes.start(fakes.server().env("DEBATE_WORKERS", "1"));
        fakes.answerAfter(Duration.ofMillis(400));
        TestUser owner = server.createUser("owner@example.com");
        String busy = DebateHarness.startDebate(server, owner, 1, MODEL_A);
        String queued = DebateHarness.startDebate(server, owner, 1, MODEL_A);

        assertThat(server.http().post("/api/debate/" + queued + "/stop", null, owner.auth()).status()).isEqualTo(200);
        SseResult result = DebateHarness.stream(server.baseUrl(), queued, null);
        SseResult other = DebateHarness.stream(server.baseUrl(), busy, null);

        assertThat(result.events()).extracting(SseEvent::event).containsExactly("debate_stopped");
        assertThat(other.events().get(other.events().size() - 1).event()).isEqualTo("debate_complete");
        assertThat(fakes.chatCalls()).isEqualTo(1);
    }

    @Test
    void audio_names_are_checked_and_ranges_answer_206_or_416() throws Exception {
        server = fakes.start();
        byte[] file = new byte[100];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) i;
        }
        Files.write(server.storage().resolve("audio").resolve("abc-DEF-123.mp3"), file);

        assertThat(server.http().get("/api/audio/bad_name.mp3").errorCode()).isEqualTo("invalid_filename");
        assertThat(server.http().get("/api/audio/abc.txt").status()).isEqualTo(400);
        assertThat(server.http().get("/api/audio/..%2Fpolydebate.db").status()).isIn(400, 404);
        assertThat(server.http().get("/api/audio/missing.mp3").errorCode()).isEqualTo("audio_not_found");
        TestResponse suffix = server.http().get("/api/audio/abc-DEF-123.mp3", "Range", "bytes=-10");
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.header("Content-Range")).contains("bytes 90-99/100");
        assertThat(suffix.bytes()[0]).isEqualTo((byte) 90);
        TestResponse open = server.http().get("/api/audio/abc-DEF-123.mp3", "Range", "bytes=95-");
        assertThat(open.bytes()).hasSize(5);
        TestResponse beyond = server.http().get("/api/audio/abc-DEF-123.mp3", "Range", "bytes=500-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).contains("bytes */100");
        TestResponse whole = server.http().get("/api/audio/abc-DEF-123.mp3");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.bytes()).isEqualTo(file);
    }

    @Test
    void a_paused_debate_gives_its_worker_back_so_other_debates_run_and_resumes_later() throws Exception {
        fakes.answerAfter(Duration.ofMillis(100));
        server = fakes.start(fakes.server().env("DEBATE_WORKERS", "1"));
        TestUser owner = server.createUser("owner@example.com");
        String paused = DebateHarness.startDebate(server, owner, 2, MODEL_A);
        assertThat(server.http().post("/api/debate/" + paused + "/pause", null, owner.auth()).status()).isEqualTo(200);
        String other = DebateHarness.startDebate(server, owner, 1, MODEL_B);

        SseResult otherResult = DebateHarness.stream(server.baseUrl(), other, null);
        assertThat(otherResult.events().get(otherResult.events().size() - 1).event()).isEqualTo("debate_complete");
        String status = server.jdbi().withHandle(h -> h.createQuery("SELECT status FROM debates WHERE debate_id = :id")
                .bind("id", paused).mapTo(String.class).one());
        assertThat(status).isEqualTo("paused");

        assertThat(server.http().post("/api/debate/" + paused + "/resume", null, owner.auth()).status()).isEqualTo(200);
        SseResult pausedResult = DebateHarness.stream(server.baseUrl(), paused, null);
        List<String> names = pausedResult.events().stream().map(SseEvent::event).toList();
        assertThat(names.get(names.size() - 1)).isEqualTo("debate_complete");
        assertThat(names.stream().filter("message"::equals).count()).isEqualTo(2);
        assertThat(names.stream().filter("debate_started"::equals).count()).isEqualTo(1);
        for (int i = 0; i < pausedResult.events().size(); i++) {
            assertThat(pausedResult.events().get(i).id()).isEqualTo(i + 1);
        }
    }

    @Test
    void stopping_a_parked_debate_writes_the_terminal_event_at_once() throws Exception {
        CountDownLatch parked = new CountDownLatch(1);
        server = fakes.start(fakes.server().hooks(new DebateHooks() {
            @Override
            public void jobParked(String debateId) {
                parked.countDown();
            }
        }));
        // The first model answer waits for the pause, so the job meets it at the next turn boundary and parks.
        CountDownLatch pausedFirst = new CountDownLatch(1);
        fakes.chat = call -> {
            try {
                pausedFirst.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(200, DebateHarness.completion(call, DebateHarness.defaultAnswer(call)));
        };
        TestUser owner = server.createUser("owner@example.com");
        String id = DebateHarness.startDebate(server, owner, 2, MODEL_A);
        assertThat(server.http().post("/api/debate/" + id + "/pause", null, owner.auth()).status()).isEqualTo(200);
        pausedFirst.countDown();
        assertThat(parked.await(20, TimeUnit.SECONDS)).as("the paused job parked").isTrue();

        assertThat(server.http().post("/api/debate/" + id + "/stop", null, owner.auth()).status()).isEqualTo(200);
        SseResult result = DebateHarness.stream(server.baseUrl(), id, null);

        assertThat(result.events().get(result.events().size() - 1).event()).isEqualTo("debate_stopped");
        assertThat(result.events().stream().filter(e -> e.event().equals("debate_stopped")).count()).isEqualTo(1);
    }
}
