package com.polydebate.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.polydebate.config.S3Settings;
import com.polydebate.support.FreePort;
import com.polydebate.support.S3Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link FileSystemBlobStoreTest}, held by {@link S3BlobStore} against S3Proxy's S3 wire protocol. */
class S3BlobStoreTest {
    private final S3Proxy s3 = S3Proxy.shared();
    private String bucket;
    private BlobStore store;

    @BeforeEach
    void connect() {
        bucket = s3.newBucket();
        store = S3BlobStore.connect(settings(bucket, ""));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private S3Settings settings(String bucket, String prefix) {
        return new S3Settings(bucket, Optional.of(s3.endpoint()), "us-east-1", true,
                Optional.of(S3Proxy.ACCESS_KEY), Optional.of(S3Proxy.SECRET_KEY), prefix);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String read(BlobStore.Blob blob) throws IOException {
        try (blob) {
            return new String(blob.content().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void a_put_blob_is_an_object_under_its_key_with_its_content_type_and_reads_back_whole() throws IOException {
        store.put("audio/abc-123.mp3", bytes("0123456789"), "audio/mpeg");

        assertThat(s3.keys(bucket)).containsExactly("audio/abc-123.mp3");
        assertThat(s3.client().headObject(b -> b.bucket(bucket).key("audio/abc-123.mp3")).contentType())
                .isEqualTo("audio/mpeg");
        assertThat(store.exists("audio/abc-123.mp3")).isTrue();
        BlobStore.Blob blob = store.open("audio/abc-123.mp3", ByteRange.ALL).orElseThrow();
        assertThat(blob.size()).isEqualTo(10);
        assertThat(blob.span()).contains(new ByteRange.Span(0, 9));
        assertThat(read(blob)).isEqualTo("0123456789");
    }

    @Test
    void a_range_opens_only_its_bytes_and_reports_the_total_size() throws IOException {
        store.put("audio/a.mp3", bytes("0123456789"), "audio/mpeg");

        BlobStore.Blob middle = store.open("audio/a.mp3", new ByteRange.Between(2, 4)).orElseThrow();
        assertThat(middle.span()).contains(new ByteRange.Span(2, 4));
        assertThat(middle.size()).isEqualTo(10);
        assertThat(read(middle)).isEqualTo("234");

        assertThat(read(store.open("audio/a.mp3", new ByteRange.From(7)).orElseThrow())).isEqualTo("789");
        assertThat(read(store.open("audio/a.mp3", new ByteRange.Last(3)).orElseThrow())).isEqualTo("789");
        BlobStore.Blob cut = store.open("audio/a.mp3", new ByteRange.Between(8, 500)).orElseThrow();
        assertThat(cut.span()).contains(new ByteRange.Span(8, 9));
        assertThat(read(cut)).isEqualTo("89");
        BlobStore.Blob longer = store.open("audio/a.mp3", new ByteRange.Last(500)).orElseThrow();
        assertThat(longer.span()).contains(new ByteRange.Span(0, 9));
        assertThat(read(longer)).isEqualTo("0123456789");
    }

    @Test
    void a_range_covering_no_byte_opens_nothing_but_still_tells_the_size() throws IOException {
        store.put("audio/a.mp3", bytes("0123456789"), "audio/mpeg");

        for (ByteRange range : List.of(new ByteRange.From(10), new ByteRange.Between(5, 4), new ByteRange.Last(0),
                new ByteRange.From(Long.MAX_VALUE), new ByteRange.Between(10, 20))) {
            BlobStore.Blob blob = store.open("audio/a.mp3", range).orElseThrow();
            assertThat(blob.span()).as(range.toString()).isEmpty();
            assertThat(blob.size()).isEqualTo(10);
            assertThat(read(blob)).isEmpty();
        }
    }

    @Test
    void a_missing_key_opens_as_empty_and_does_not_exist() throws IOException {
        store.put("avatars/user1_1.png", bytes("png"), "image/png");

        assertThat(store.open("avatars/user1_2.png", ByteRange.ALL)).isEmpty();
        assertThat(store.open("avatars/user1_2.png", new ByteRange.Between(0, 1))).isEmpty();
        assertThat(store.open("avatars/user1_2.png", new ByteRange.Last(0))).isEmpty();
        assertThat(store.exists("avatars/user1_2.png")).isFalse();
        assertThat(store.open("avatars", ByteRange.ALL)).as("a 'directory' is no blob").isEmpty();
        assertThat(store.exists("avatars")).isFalse();
    }

    @Test
    void delete_removes_the_blob_and_says_whether_there_was_one() throws IOException {
        store.put("avatars/user1_1.png", bytes("png"), "image/png");

        assertThat(store.delete("avatars/user1_1.png")).isTrue();
        assertThat(store.exists("avatars/user1_1.png")).isFalse();
        assertThat(store.delete("avatars/user1_1.png")).isFalse();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void an_overwrite_replaces_the_bytes_at_once() throws IOException {
        store.put("audio/a.mp3", bytes("old bytes"), "audio/mpeg");

        store.put("audio/a.mp3", bytes("new"), "audio/mpeg");

        BlobStore.Blob blob = store.open("audio/a.mp3", ByteRange.ALL).orElseThrow();
        assertThat(blob.size()).isEqualTo(3);
        assertThat(read(blob)).isEqualTo("new");
        assertThat(s3.keys(bucket)).containsExactly("audio/a.mp3");
    }

    @Test
    void put_if_absent_writes_only_a_free_key_and_never_overwrites() throws IOException {
        assertThat(store.putIfAbsent("avatars/user1_1.png", bytes("first"), "image/png")).isTrue();
        assertThat(store.putIfAbsent("avatars/user1_1.png", bytes("second"), "image/png")).isFalse();

        assertThat(read(store.open("avatars/user1_1.png", ByteRange.ALL).orElseThrow())).isEqualTo("first");
        assertThat(s3.client().headObject(b -> b.bucket(bucket).key("avatars/user1_1.png")).contentType())
                .isEqualTo("image/png");
        assertThat(s3.keys(bucket)).containsExactly("avatars/user1_1.png");
    }

    @Test
    void a_stream_stops_at_the_end_of_its_span_however_it_is_read() throws IOException {
        store.put("audio/a.mp3", bytes("0123456789"), "audio/mpeg");

        try (BlobStore.Blob blob = store.open("audio/a.mp3", new ByteRange.Between(3, 5)).orElseThrow()) {
            InputStream in = blob.content();
            assertThat(in.read()).isEqualTo('3');
            assertThat(in.skip(100)).isEqualTo(2);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
        }
    }

    @Test
    void keys_that_climb_start_at_the_root_or_carry_odd_characters_are_refused() {
        for (String key : new String[] {"../secret", "audio/../../etc/passwd", "audio/..", "..", "a..b",
                "/etc/passwd", "/audio/a.mp3", "audio/a\0.mp3", "\0", "", "audio/", "audio//a.mp3",
                "audio\\a.mp3", ".hidden", "audio/.a.mp3", "audio/a b.mp3", "C:/x", "x".repeat(1025)}) {
            assertThatThrownBy(() -> store.put(key, bytes("x"), "text/plain")).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.putIfAbsent(key, bytes("x"), "text/plain")).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open(key, ByteRange.ALL)).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.exists(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void a_prefix_puts_every_key_under_it_and_reads_only_from_it() throws IOException {
        try (BlobStore prefixed = S3BlobStore.connect(settings(bucket, "polydebate/prod/"))) {
            prefixed.put("audio/a.mp3", bytes("mp3"), "audio/mpeg");

            assertThat(s3.keys(bucket)).containsExactly("polydebate/prod/audio/a.mp3");
            assertThat(read(prefixed.open("audio/a.mp3", ByteRange.ALL).orElseThrow())).isEqualTo("mp3");
            assertThat(store.exists("audio/a.mp3")).as("the unprefixed store sees another key").isFalse();
        }
    }

    @Test
    void list_gives_the_keys_under_a_folder_in_order_and_only_within_the_stores_prefix() throws IOException {
        try (BlobStore prefixed = S3BlobStore.connect(settings(bucket, "prod/"))) {
            prefixed.put("backups/polydebate-20261128T120000Z.db", bytes("b"), "application/vnd.sqlite3");
            prefixed.put("backups/polydebate-20261127T120000Z.db", bytes("a"), "application/vnd.sqlite3");
            prefixed.put("backups/old/x.db", bytes("c"), "application/vnd.sqlite3");
            prefixed.put("audio/a.mp3", bytes("d"), "audio/mpeg");
            store.put("backups/outside-the-prefix.db", bytes("e"), "application/vnd.sqlite3");

            assertThat(prefixed.list("backups/")).containsExactly("backups/old/x.db",
                    "backups/polydebate-20261127T120000Z.db", "backups/polydebate-20261128T120000Z.db");
            assertThat(prefixed.list("nothing-here/")).isEmpty();
            for (String folder : new String[] {"backups", "../", "/", "", "backups//", "/backups/", ".hidden/"}) {
                assertThatThrownBy(() -> prefixed.list(folder)).as(folder).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void a_missing_bucket_stops_the_connection_with_its_name_and_no_secret() {
        assertThatThrownBy(() -> S3BlobStore.connect(settings("no-such-bucket-here", "")))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("'no-such-bucket-here'")
                .hasMessageContaining("HTTP 404")
                .hasMessageNotContaining(S3Proxy.SECRET_KEY);
    }

    @Test
    void wrong_credentials_stop_the_connection_without_showing_them() {
        S3Settings wrong = new S3Settings(bucket, Optional.of(s3.endpoint()), "us-east-1", true,
                Optional.of("someone-else"), Optional.of("wrong-secret-value"), "");

        assertThatThrownBy(() -> S3BlobStore.connect(wrong))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageNotContaining("wrong-secret-value");
        assertThat(wrong.toString()).doesNotContain("wrong-secret-value");
    }

    @Test
    void an_unreachable_endpoint_stops_the_connection_and_a_store_that_lost_it_fails_with_an_io_error() {
        URI closed = URI.create("http://127.0.0.1:" + FreePort.any());
        S3Settings unreachable = new S3Settings(bucket, Optional.of(closed), "us-east-1", true,
                Optional.of(S3Proxy.ACCESS_KEY), Optional.of(S3Proxy.SECRET_KEY), "");

        assertThatThrownBy(() -> S3BlobStore.connect(unreachable))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining(closed.toString());

        S3BlobStore lost = new S3BlobStore(S3BlobStore.client(unreachable), bucket, "");
        try (lost) {
            assertThatThrownBy(() -> lost.put("audio/a.mp3", bytes("x"), "audio/mpeg")).isInstanceOf(IOException.class)
                    .hasMessageContaining("audio/a.mp3");
            assertThatThrownBy(() -> lost.open("audio/a.mp3", ByteRange.ALL)).isInstanceOf(IOException.class);
        }
    }
}
