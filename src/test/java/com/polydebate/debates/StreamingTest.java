package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Call;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 15 §1–2 end to end: answers streamed by the fake OpenRouter at the wire, deltas to live viewers. */
class StreamingTest {
    private static final Duration GAP = Duration.ofMillis(15);
    /** Escapes (a quote, a newline, é, an emoji as a surrogate pair) that the pieces cut in the middle. */
    private static final String ARGUMENT = "The \"base rate\" sits near 39.78% today,\nso caf\u00e9 talk of a "
            + "sweep \uD83D\uDE80 is early. A second sentence that clean-up cuts.";

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();

    /** An event with the moment the test client read it. */
    record Timed(SseEvent event, long at) {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static List<Timed> watch(TestServer server, String debateId, String lastEventId) throws Exception {
        return watch(server, debateId, lastEventId, new java.util.concurrent.CountDownLatch(0));
    }

    /** Reads the stream to its end, counting {@code deltas} down at each delta read. */
    private static List<Timed> watch(TestServer server, String debateId, String lastEventId,
                                     java.util.concurrent.CountDownLatch deltas) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/api/debate/" + debateId + "/stream")).timeout(Duration.ofSeconds(60));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response = CLIENT.send(request.GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<Timed> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            SseEvent.Parser parser = new SseEvent.Parser();
            String line;
            while ((line = reader.readLine()) != null) {
                parser.line(line).ifPresent(e -> {
                    events.add(new Timed(e, System.nanoTime()));
                    if (e.event().equals("message_delta")) {
                        deltas.countDown();
                    }
                });
            }
        }
        return events;
    }

    private static String answer(Call call, String argument) {
        ObjectNode answer = DebateHarness.MAPPER.createObjectNode();
        answer.put("argument", argument);
        ObjectNode predictions = answer.putObject("predictions");
        List<String> names = DebateHarness.outcomeNames(call);
        for (int i = 0; i < names.size(); i++) {
            predictions.put(names.get(i), i == 0 ? 70 : 30);
        }
        return answer.toString();
    }

    /** Applies each delta at its offset, as a client would: offset 0 starts the text over. */
    private static String assemble(List<JsonNode> deltas) {
        StringBuilder text = new StringBuilder();
        for (JsonNode d : deltas) {
            int offset = d.path("offset").asInt();
            assertThat(offset).as("offset within the text so far").isLessThanOrEqualTo(text.length());
            text.setLength(offset);
            text.append(d.path("delta").asText());
        }
        return text.toString();
    }

    private static List<JsonNode> deltas(List<Timed> events, String modelId) {
        return events.stream().filter(t -> t.event().event().equals("message_delta"))
                .map(t -> t.event().data()).filter(d -> d.path("model_id").asText().equals(modelId)).toList();
    }

    private static JsonNode message(List<Timed> events, String modelId) {
        return events.stream().filter(t -> t.event().event().equals("message"))
                .map(t -> t.event().data()).filter(d -> d.path("model_id").asText().equals(modelId))
                .findFirst().orElseThrow();
    }

    @Test
    void deltas_start_before_the_call_ends_and_add_up_to_the_argument_the_message_then_cleans() throws Exception {
        AtomicLong lastChunkSent = new AtomicLong();
        fakes.chat = call -> {
            Reply streamed = DebateHarness.streamedReply(call, answer(call, ARGUMENT), 6, GAP);
            List<FakeUpstream.Reply.Chunk> chunks = new ArrayList<>(streamed.chunks());
            FakeUpstream.Reply.Chunk done = chunks.remove(chunks.size() - 1);
            // B answers at once (its stream is over long before A's turn ends); A streams slowly.
            if (DebateHarness.model(call).equals(MODEL_B)) {
                return Reply.stream(streamed.chunks(), Duration.ZERO);
            }
            chunks.add(new FakeUpstream.Reply.Chunk(done.bytes(), false, lastChunkSent::set));
            return Reply.stream(chunks, GAP);
        };
        TestServer server = fakes.start();
        TestUser owner = server.newUser();
        String debateId = DebateHarness.startDebate(server, owner, 1, MODEL_A, MODEL_B);
        List<Timed> events = watch(server, debateId, null);

        // Model A's turn is on the wire while it streams: many small deltas. Model B streams at the same time (an
        // independent first round) while A's turn is shown, so its text waits and leaves whole, at offset 0, once
        // its own turn comes up.
        assertThat(deltas(events, MODEL_A)).hasSizeGreaterThan(3);
        assertThat(deltas(events, MODEL_B)).hasSize(1);
        for (String model : List.of(MODEL_A, MODEL_B)) {
            List<JsonNode> deltas = deltas(events, model);
            assertThat(deltas.get(0).path("offset").asInt()).isZero();
            String streamed = assemble(deltas);
            JsonNode message = message(events, model);
            assertThat(streamed).as("the deltas carry the argument verbatim, no JSON").isEqualTo(ARGUMENT);
            // Clean-up may only collapse whitespace, cut after the first sentence and add a full stop (plus markdown
            // and JSON residue, absent here): the message is exactly the clean-up of what was streamed.
            assertThat(message.path("text").asText()).isEqualTo(TextCleaner.clean(streamed, streamed).orElseThrow())
                    .isEqualTo("The \"base rate\" sits near 39.78% today, so caf\u00e9 talk of a sweep \uD83D\uDE80 "
                            + "is early.");
            for (JsonNode d : deltas) {
                assertThat(d.path("round").asInt()).isEqualTo(1);
                assertThat(d.path("sequence").asInt()).isEqualTo(message.path("sequence").asInt());
                assertThat(d.path("debate_id").asText()).isEqualTo(debateId);
            }
        }
        List<String> order = events.stream().map(t -> t.event().event()).toList();
        assertThat(order.indexOf("message_delta")).isGreaterThan(order.indexOf("model_thinking"));
        assertThat(order.lastIndexOf("message_delta")).isLessThan(order.lastIndexOf("message"));
        // Deltas have no id line: the parser leaves their id at -1.
        assertThat(events.stream().filter(t -> t.event().event().equals("message_delta")))
                .allMatch(t -> t.event().id() == -1);
        long firstDelta = events.stream().filter(t -> t.event().event().equals("message_delta")).findFirst()
                .orElseThrow().at();
        assertThat(firstDelta).as("a delta reached the viewer before the upstream finished").isLessThan(
                lastChunkSent.get());
    }

    @Test
    void a_viewer_joining_mid_message_gets_the_text_so_far_in_its_first_delta() throws Exception {
        fakes.chat = call -> DebateHarness.streamedReply(call, answer(call, ARGUMENT), 3, Duration.ofMillis(25));
        TestServer server = fakes.start(fakes.server().env("MODEL_TIMEOUT_SECONDS", "30"));
        String debateId = DebateHarness.startDebate(server, server.newUser(), 1, MODEL_A);
        java.util.concurrent.CountDownLatch someText = new java.util.concurrent.CountDownLatch(3);
        CompletableFuture<List<Timed>> early = CompletableFuture.supplyAsync(() -> {
            try {
                return watch(server, debateId, null, someText);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(someText.await(20, TimeUnit.SECONDS)).isTrue();
        List<Timed> late = watch(server, debateId, null);
        List<JsonNode> earlyDeltas = deltas(early.get(20, TimeUnit.SECONDS), MODEL_A);
        List<JsonNode> lateDeltas = deltas(late, MODEL_A);

        assertThat(lateDeltas.get(0).path("offset").asInt()).isZero();
        assertThat(lateDeltas.get(0).path("delta").asText()).as("the text written before it joined")
                .startsWith(earlyDeltas.get(0).path("delta").asText() + earlyDeltas.get(1).path("delta").asText());
        assertThat(lateDeltas.size()).isLessThan(earlyDeltas.size());
        assertThat(assemble(lateDeltas)).isEqualTo(ARGUMENT);
        assertThat(assemble(earlyDeltas)).isEqualTo(ARGUMENT);
    }

    @Test
    void a_reconnecting_viewer_replays_the_stored_events_without_deltas() throws Exception {
        fakes.chat = call -> DebateHarness.streamedReply(call, answer(call, ARGUMENT), 8, Duration.ZERO);
        TestServer server = fakes.start();
        String debateId = DebateHarness.startDebate(server, server.newUser(), 1, MODEL_A, MODEL_B);
        watch(server, debateId, null);
        List<Timed> replay = watch(server, debateId, "0");
        assertThat(replay).extracting(t -> t.event().event()).doesNotContain("message_delta").contains("message");
    }

    @Test
    void an_error_in_the_middle_of_the_stream_is_retried_and_the_retry_starts_the_text_over() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String recordedError = Fixtures.text("openrouter/chat-stream-midstream-error.txt");
        fakes.chat = call -> {
            if (DebateHarness.model(call).equals(MODEL_A) && calls.incrementAndGet() == 1) {
                // Some argument text first, then the recorded error chunk and [DONE].
                List<String> events = DebateHarness.streamEvents(call, answer(call, ARGUMENT), 10);
                List<FakeUpstream.Reply.Chunk> chunks = new ArrayList<>();
                events.subList(0, 4).forEach(e -> chunks.add(FakeUpstream.Reply.Chunk.text(e)));
                chunks.add(FakeUpstream.Reply.Chunk.text(recordedError));
                return Reply.stream(chunks, GAP);
            }
            return DebateHarness.streamedReply(call, answer(call, ARGUMENT), 9, GAP);
        };
        TestServer server = fakes.start();
        String debateId = DebateHarness.startDebate(server, server.newUser(), 1, MODEL_A);
        List<Timed> events = watch(server, debateId, null);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(events).extracting(t -> t.event().event()).doesNotContain("debate_error");
        List<JsonNode> deltas = deltas(events, MODEL_A);
        assertThat(assemble(deltas)).isEqualTo(ARGUMENT);
        assertThat(message(events, MODEL_A).path("text").asText()).startsWith("The \"base rate\"");
    }

    @Test
    void a_stream_that_stalls_midway_times_out_after_the_idle_timeout() throws Exception {
        fakes.chat = call -> {
            List<FakeUpstream.Reply.Chunk> chunks = new ArrayList<>();
            DebateHarness.streamEvents(call, answer(call, ARGUMENT), 10).subList(0, 3)
                    .forEach(e -> chunks.add(FakeUpstream.Reply.Chunk.text(e)));
            chunks.add(FakeUpstream.Reply.STALL);
            return Reply.stream(chunks, GAP);
        };
        TestServer server = fakes.start(fakes.server().env("MODEL_TIMEOUT_SECONDS", "30")
                .env("MODEL_IDLE_TIMEOUT_SECONDS", "1"));
        String debateId = DebateHarness.startDebate(server, server.newUser(), 1, MODEL_A);
        List<Timed> events = CompletableFuture.supplyAsync(() -> {
            try {
                return watch(server, debateId, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(20, TimeUnit.SECONDS);
        JsonNode error = events.stream().filter(t -> t.event().event().equals("debate_error"))
                .map(t -> t.event().data()).findFirst().orElseThrow();
        assertThat(error.path("error_type").asText()).isEqualTo("timeout");
        assertThat(error.path("error").asText()).contains("No data for 1 s");
        assertThat(fakes.chatCalls()).as("timeouts are not retried").isEqualTo(1);
    }

    @Test
    void a_plain_json_answer_despite_stream_true_still_makes_the_message() throws Exception {
        TestServer server = fakes.start();
        String debateId = DebateHarness.startDebate(server, server.newUser(), 1, MODEL_A);
        List<Timed> events = watch(server, debateId, null);
        assertThat(message(events, MODEL_A).path("text").asText())
                .isEqualTo(MODEL_A + " sees the odds near 39.78% today.");
        assertThat(events).extracting(t -> t.event().event()).doesNotContain("message_delta");
        JsonNode request = DebateHarness.MAPPER.readTree(fakes.openRouter.calls("POST", "/chat/completions").get(0)
                .body());
        assertThat(request.path("stream").asBoolean()).isTrue();
        assertThat(request.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }
}
