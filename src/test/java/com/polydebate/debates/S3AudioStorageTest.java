package com.polydebate.debates;

import static com.polydebate.debates.DebateHarness.BINARY_MARKET;
import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.storage.BlobStoreUnavailableException;
import com.polydebate.support.S3Proxy;
import com.polydebate.support.SseEvent;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Narration stored in an S3 bucket (S3Proxy) and served through the unchanged {@code /api/audio/{file}}. */
class S3AudioStorageTest {
    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();
    private final S3Proxy s3 = S3Proxy.shared();

    private TestServer serverOn(String bucket) {
        return fakes.start(s3.configure(fakes.server(), bucket));
    }

    private record Finished(String id, List<JsonNode> messages) {
    }

    /** Runs a one-round debate of two models to its end. */
    private static Finished debate(TestServer server, TestUser owner) {
        String id = DebateHarness.debateId(server.http().post("/api/debate/start",
                DebateHarness.startBody(BINARY_MARKET, 1, MODEL_A, MODEL_B), owner.auth()));
        List<SseEvent> events = DebateHarness.stream(server.baseUrl(), id, null).events();
        assertThat(events.get(events.size() - 1).event()).isEqualTo("debate_complete");
        return new Finished(id, events.stream().filter(e -> e.event().equals("message")).map(SseEvent::data).toList());
    }

    private byte[] object(String bucket, String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    @Test
    void audio_written_during_a_debate_lands_in_the_bucket_not_on_disk_and_is_served_with_ranges() {
        String bucket = s3.newBucket();
        TestServer server = serverOn(bucket);

        List<JsonNode> messages = debate(server, server.createUser("owner@example.com")).messages();

        assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(m.path("audio_error").isNull()).isTrue());
        List<String> keys = messages.stream().map(m -> "audio/" + m.path("message_id").asText() + ".mp3").toList();
        assertThat(s3.keys(bucket)).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(s3.client().headObject(b -> b.bucket(bucket).key(keys.get(0))).contentType())
                .isEqualTo("audio/mpeg");
        assertThat(server.storage().resolve("audio")).doesNotExist();
        assertThat(DebateHarness.audioFile(server, messages.get(0).path("message_id").asText())).doesNotExist();

        String url = messages.get(0).path("audio_url").asText();
        assertThat(url).isEqualTo("/api/audio/" + messages.get(0).path("message_id").asText() + ".mp3");
        byte[] stored = object(bucket, keys.get(0));
        assertThat(stored).hasSize(417 * 40);
        TestResponse whole = server.http().get(url);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("Content-Type").orElse("")).startsWith("audio/mpeg");
        assertThat(whole.header("Accept-Ranges")).contains("bytes");
        assertThat(whole.header("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(whole.bytes()).isEqualTo(stored);

        TestResponse first = server.http().get(url, "Range", "bytes=0-99");
        assertThat(first.status()).isEqualTo(206);
        assertThat(first.header("Content-Range")).contains("bytes 0-99/" + stored.length);
        assertThat(first.header("Content-Type").orElse("")).startsWith("audio/mpeg");
        assertThat(first.bytes()).isEqualTo(Arrays.copyOfRange(stored, 0, 100));
        TestResponse last = server.http().get(url, "Range", "bytes=-10");
        assertThat(last.status()).isEqualTo(206);
        assertThat(last.header("Content-Range")).contains("bytes " + (stored.length - 10) + "-" + (stored.length - 1)
                + "/" + stored.length);
        assertThat(last.bytes()).isEqualTo(Arrays.copyOfRange(stored, stored.length - 10, stored.length));
        TestResponse beyond = server.http().get(url, "Range", "bytes=" + stored.length + "-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).contains("bytes */" + stored.length);
        assertThat(server.http().get(url, "Range", "bytes=20-10").status()).isEqualTo(416);
        assertThat(server.http().get("/api/audio/no-such-message.mp3").errorCode()).isEqualTo("audio_not_found");
    }

    /**
     * The second server gets a fresh, empty storage directory but the first one's database (DATABASE_URL set
     * explicitly, which TestServer keeps), so this runs the same on SQLite (the file in the first directory) and on
     * PostgreSQL (the first directory's schema).
     */
    @Test
    void audio_survives_a_restart_on_an_empty_storage_directory_with_the_same_bucket() throws Exception {
        String bucket = s3.newBucket();
        TestServer first = serverOn(bucket);
        Finished debate = debate(first, first.createUser("owner@example.com"));
        String id = debate.id();
        List<JsonNode> messages = debate.messages();
        String url = messages.get(0).path("audio_url").asText();
        byte[] before = first.http().get(url).bytes();
        first.close();

        Path fresh = Files.createTempDirectory("polydebate-fresh");
        TestServer second = fakes.start(s3.configure(fakes.server(), bucket).storage(fresh)
                .env("DATABASE_URL", first.config().databaseUrl()));

        try (var files = Files.list(fresh)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("audio", "avatars");
        }
        JsonNode transcript = second.http().get("/api/debate/" + id).json();
        assertThat(transcript.toString()).contains(url);
        TestResponse again = second.http().get(url);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.bytes()).isEqualTo(before);
        assertThat(second.http().get(url, "Range", "bytes=0-9").status()).isEqualTo(206);
    }

    @Test
    void a_bucket_lost_during_a_debate_gives_each_message_an_audio_error_and_the_debate_still_completes() {
        String bucket = s3.newBucket();
        TestServer server = serverOn(bucket);
        s3.client().deleteBucket(b -> b.bucket(bucket));

        List<JsonNode> messages = debate(server, server.createUser("owner@example.com")).messages();

        assertThat(messages).hasSize(2).allSatisfy(m -> {
            assertThat(m.path("audio_error").asText()).isEqualTo("Could not store the audio file");
            assertThat(m.path("audio_url").isNull()).isTrue();
        });
        assertThat(server.storage().resolve("audio")).doesNotExist();
    }

    @Test
    void a_missing_bucket_stops_start_up_with_a_clear_error_that_shows_no_secret() {
        TestServer.Builder builder = s3.configure(fakes.server(), "polydebate-no-such-bucket");

        assertThatThrownBy(builder::start)
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("bucket 'polydebate-no-such-bucket' at " + s3.endpoint())
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("S3_BUCKET")
                .hasMessageNotContaining(S3Proxy.SECRET_KEY);
    }

    @Test
    void a_wrong_secret_stops_start_up_with_a_clear_error_that_shows_no_secret() {
        TestServer.Builder builder = s3.configure(fakes.server(), s3.newBucket())
                .env("S3_SECRET_ACCESS_KEY", "not-the-right-secret");

        assertThatThrownBy(builder::start)
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageNotContaining("not-the-right-secret");
    }
}
