package com.polydebate.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest {
    @TempDir
    Path root;

    private BlobStore store() {
        return new FileSystemBlobStore(root);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String read(BlobStore.Blob blob) throws IOException {
        try (blob) {
            return new String(blob.content().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private List<String> filesIn(String dir) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(dir))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void a_put_blob_is_a_file_under_its_key_and_reads_back_whole() throws IOException {
        BlobStore store = store();

        store.put("audio/abc-123.mp3", bytes("0123456789"), "audio/mpeg");

        assertThat(Files.readAllBytes(root.resolve("audio/abc-123.mp3"))).isEqualTo(bytes("0123456789"));
        assertThat(store.exists("audio/abc-123.mp3")).isTrue();
        BlobStore.Blob blob = store.open("audio/abc-123.mp3", ByteRange.ALL).orElseThrow();
        assertThat(blob.size()).isEqualTo(10);
        assertThat(blob.span()).contains(new ByteRange.Span(0, 9));
        assertThat(read(blob)).isEqualTo("0123456789");
        assertThat(filesIn("audio")).containsExactly("abc-123.mp3");
    }

    @Test
    void a_range_opens_only_its_bytes_and_reports_the_total_size() throws IOException {
        BlobStore store = store();
        store.put("audio/a.mp3", bytes("0123456789"), "audio/mpeg");

        BlobStore.Blob middle = store.open("audio/a.mp3", new ByteRange.Between(2, 4)).orElseThrow();
        assertThat(middle.span()).contains(new ByteRange.Span(2, 4));
        assertThat(middle.size()).isEqualTo(10);
        assertThat(read(middle)).isEqualTo("234");

        assertThat(read(store.open("audio/a.mp3", new ByteRange.From(7)).orElseThrow())).isEqualTo("789");
        assertThat(read(store.open("audio/a.mp3", new ByteRange.Last(3)).orElseThrow())).isEqualTo("789");
        assertThat(read(store.open("audio/a.mp3", new ByteRange.Between(8, 500)).orElseThrow())).isEqualTo("89");
        assertThat(read(store.open("audio/a.mp3", new ByteRange.Last(500)).orElseThrow())).isEqualTo("0123456789");
    }

    @Test
    void a_range_covering_no_byte_opens_nothing_but_still_tells_the_size() throws IOException {
        BlobStore store = store();
        store.put("audio/a.mp3", bytes("0123456789"), "audio/mpeg");

        for (ByteRange range : List.of(new ByteRange.From(10), new ByteRange.Between(5, 4), new ByteRange.Last(0),
                new ByteRange.From(Long.MAX_VALUE))) {
            BlobStore.Blob blob = store.open("audio/a.mp3", range).orElseThrow();
            assertThat(blob.span()).as(range.toString()).isEmpty();
            assertThat(blob.size()).isEqualTo(10);
            assertThat(read(blob)).isEmpty();
        }
    }

    @Test
    void a_missing_key_opens_as_empty_and_does_not_exist() throws IOException {
        BlobStore store = store();
        store.put("avatars/user1_1.png", bytes("png"), "image/png");

        assertThat(store.open("avatars/user1_2.png", ByteRange.ALL)).isEmpty();
        assertThat(store.exists("avatars/user1_2.png")).isFalse();
        assertThat(store.open("avatars", ByteRange.ALL)).as("a directory is no blob").isEmpty();
        assertThat(store.exists("avatars")).isFalse();
    }

    @Test
    void delete_removes_the_blob_and_says_whether_there_was_one() throws IOException {
        BlobStore store = store();
        store.put("avatars/user1_1.png", bytes("png"), "image/png");

        assertThat(store.delete("avatars/user1_1.png")).isTrue();
        assertThat(store.exists("avatars/user1_1.png")).isFalse();
        assertThat(store.delete("avatars/user1_1.png")).isFalse();
        assertThat(filesIn("avatars")).isEmpty();
    }

    @Test
    void an_overwrite_replaces_the_bytes_at_once_and_a_reader_already_open_keeps_the_old_ones() throws IOException {
        BlobStore store = store();
        store.put("audio/a.mp3", bytes("old bytes"), "audio/mpeg");
        BlobStore.Blob before = store.open("audio/a.mp3", ByteRange.ALL).orElseThrow();

        store.put("audio/a.mp3", bytes("new"), "audio/mpeg");

        assertThat(read(before)).isEqualTo("old bytes");
        assertThat(read(store.open("audio/a.mp3", ByteRange.ALL).orElseThrow())).isEqualTo("new");
        assertThat(filesIn("audio")).as("no temporary file is left behind").containsExactly("a.mp3");
    }

    @Test
    void put_if_absent_writes_only_a_free_key_and_never_overwrites() throws IOException {
        BlobStore store = store();

        assertThat(store.putIfAbsent("avatars/user1_1.png", bytes("first"), "image/png")).isTrue();
        assertThat(store.putIfAbsent("avatars/user1_1.png", bytes("second"), "image/png")).isFalse();

        assertThat(read(store.open("avatars/user1_1.png", ByteRange.ALL).orElseThrow())).isEqualTo("first");
        assertThat(filesIn("avatars")).containsExactly("user1_1.png");
    }

    @Test
    void a_stream_stops_at_the_end_of_its_span_however_it_is_read() throws IOException {
        BlobStore store = store();
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
        BlobStore store = store();
        for (String key : new String[] {"../secret", "audio/../../etc/passwd", "audio/..", "..", "a..b",
                "/etc/passwd", "/audio/a.mp3", "audio/a\0.mp3", "\0", "", "audio/", "audio//a.mp3",
                "audio\\a.mp3", ".hidden", "audio/.a.mp3", "audio/a b.mp3", "C:/x", "x".repeat(1025)}) {
            assertThatThrownBy(() -> store.put(key, bytes("x"), "text/plain")).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open(key, ByteRange.ALL)).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.exists(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(root.resolve("secret")).doesNotExist();
    }

    @Test
    void the_names_the_features_use_are_valid_keys() {
        for (String key : new String[] {"audio/3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b.mp3", "audio/-x.mp3",
                "avatars/user12_1764331200.png", "avatars/user12_1764331200_0a1b2c3d.jpeg", "avatars/_x.gif"}) {
            assertThat(BlobStore.checkedKey(key)).isEqualTo(key);
        }
    }

    @Test
    void list_gives_the_keys_under_a_folder_in_order_without_temporary_files() throws IOException {
        BlobStore store = store();
        store.put("backups/polydebate-20261128T120000Z.db", bytes("b"), "application/vnd.sqlite3");
        store.put("backups/polydebate-20261127T120000Z.db", bytes("a"), "application/vnd.sqlite3");
        store.put("backups/old/x.db", bytes("c"), "application/vnd.sqlite3");
        store.put("audio/a.mp3", bytes("d"), "audio/mpeg");
        Files.writeString(root.resolve("backups/.123.tmp"), "half written");

        assertThat(store.list("backups/")).containsExactly("backups/old/x.db",
                "backups/polydebate-20261127T120000Z.db", "backups/polydebate-20261128T120000Z.db");
        assertThat(store.list("nothing-here/")).isEmpty();
        for (String prefix : new String[] {"backups", "../", "/", "", "backups//", "/backups/", ".hidden/"}) {
            assertThatThrownBy(() -> store.list(prefix)).as(prefix).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
