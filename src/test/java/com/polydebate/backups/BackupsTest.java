package com.polydebate.backups;

import static com.polydebate.debates.DebateHarness.MODEL_A;
import static com.polydebate.debates.DebateHarness.MODEL_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.App;
import com.polydebate.config.Config;
import com.polydebate.config.ConfigException;
import com.polydebate.config.ConfigLoader;
import com.polydebate.debates.DebateHarness;
import com.polydebate.storage.BlobStore;
import com.polydebate.storage.ByteRange;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {
    private static final String SQLITE_ONLY = "backups snapshot SQLite; PostgreSQL relies on the provider's backups";

    @RegisterExtension
    final DebateHarness fakes = new DebateHarness();

    @TempDir
    Path temp;

    private static void sqliteOnly() {
        assumeFalse(TestDatabases.onPostgres(), SQLITE_ONLY);
    }

    private static String query(Path database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    /** The snapshot's bytes as a file of its own, to open with SQLite. */
    private Path download(TestServer server, String key) throws IOException {
        BlobStore blobs = App.blobStore(server.config());
        Path file = Files.createTempFile(temp, "snapshot", ".db");
        try (BlobStore.Blob blob = blobs.open(key, ByteRange.ALL).orElseThrow();
             InputStream content = blob.content()) {
            Files.copy(content, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static Config configFor(Path storage) {
        return ConfigLoader.load(Map.of("STORAGE_DIR", storage.toString()), new SecureRandom());
    }

    @Test
    void a_snapshot_taken_while_debates_and_users_are_written_is_an_intact_sqlite_database() throws Exception {
        sqliteOnly();
        TestServer server = fakes.start();
        TestUser owner = server.newUser("Owner");
        fakes.answerAfter(Duration.ofMillis(20));
        List<String> debates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            debates.add(DebateHarness.startDebate(server, owner, 3, MODEL_A, MODEL_B));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger users = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                server.newUser("Writer");
                users.incrementAndGet();
            }
        });
        writer.start();
        List<String> keys = new ArrayList<>();
        List<Integer> usersBefore = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                usersBefore.add(users.get());
                keys.add(server.app().backups().snapshot().orElseThrow());
                server.clock().advance(Duration.ofMinutes(1));
            }
        } finally {
            writing.set(false);
            writer.join();
        }

        assertThat(users.get()).as("rows were written during the snapshots").isGreaterThan(usersBefore.get(0));
        assertThat(keys).doesNotHaveDuplicates().allMatch(key -> key.matches("backups/polydebate-\\d{8}T\\d{6}Z\\.db"));
        assertThat(keys.get(0)).isEqualTo("backups/polydebate-20261128T120000Z.db");
        for (String key : keys) {
            Path snapshot = download(server, key);
            assertThat(query(snapshot, "PRAGMA integrity_check")).as(key).isEqualTo("ok");
            assertThat(query(snapshot, "PRAGMA foreign_key_check")).as(key).isNull();
            assertThat(Integer.parseInt(query(snapshot, "SELECT COUNT(*) FROM debates"))).as(key).isEqualTo(3);
        }
        assertThat(server.app().backups().snapshots()).containsExactlyElementsOf(keys);
        for (String id : debates) {
            DebateHarness.stream(server.baseUrl(), id, null);
        }
    }

    @Test
    void retention_keeps_exactly_the_backup_retain_newest_snapshots() throws Exception {
        sqliteOnly();
        try (TestServer server = TestServer.builder().env("BACKUP_RETAIN", "3").start()) {
            assertRetention(server);
        }
    }

    private static void assertRetention(TestServer server) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(server.app().backups().snapshot().orElseThrow());
            server.clock().advance(Duration.ofHours(6));
        }

        assertThat(server.app().backups().snapshots()).containsExactlyElementsOf(keys.subList(2, 5));
        try (var files = Files.list(server.storage().resolve("backups"))) {
            assertThat(files.map(f -> "backups/" + f.getFileName())).containsExactlyInAnyOrderElementsOf(
                    keys.subList(2, 5));
        }
        try (var files = Files.list(server.storage())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.startsWith(".backup-"));
        }
    }

    @Test
    void a_snapshot_restored_into_a_fresh_storage_dir_starts_a_server_with_every_debate_and_message() throws Exception {
        sqliteOnly();
        TestServer server = fakes.start();
        TestUser owner = server.newUser("Owner");
        List<String> ids = List.of(DebateHarness.startDebate(server, owner, 2, MODEL_A, MODEL_B),
                DebateHarness.startDebate(server, owner, 1, MODEL_A, MODEL_B));
        List<JsonNode> documents = new ArrayList<>();
        for (String id : ids) {
            DebateHarness.stream(server.baseUrl(), id, null);
            JsonNode document = server.http().get("/api/debate/" + id).json();
            assertThat(document.path("messages")).isNotEmpty();
            documents.add(document);
        }
        server.app().backups().snapshot().orElseThrow();

        Path fresh = temp.resolve("fresh-storage");
        int status = BackupRestore.run(configFor(fresh), App.blobStore(configFor(fresh)),
                List.of(BackupRestore.COMMAND, "latest", "--from", server.storage().toString()));
        assertThat(status).isZero();

        TestServer restored = fakes.start(fakes.server().storage(fresh));
        for (int i = 0; i < ids.size(); i++) {
            JsonNode document = restored.http().get("/api/debate/" + ids.get(i)).json();
            assertThat(document).isEqualTo(documents.get(i));
            assertThat(document.path("messages")).hasSize(documents.get(i).path("messages").size());
        }
        assertThat(restored.http().get("/api/auth/debates", owner.auth()).status()).isEqualTo(200);
    }

    @Test
    void restore_refuses_to_overwrite_an_existing_database_unless_forced() throws Exception {
        sqliteOnly();
        TestServer server = TestServer.start();
        server.newUser("Someone");
        String key = server.app().backups().snapshot().orElseThrow();
        BlobStore blobs = App.blobStore(server.config());
        Path target = temp.resolve("polydebate.db");
        Files.writeString(target, "the existing database");
        Files.writeString(Path.of(target + "-wal"), "its write-ahead log");

        assertThatThrownBy(() -> BackupRestore.restore(blobs, "latest", target, false))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("--force");
        assertThat(BackupRestore.run(configFor(temp), blobs, List.of(BackupRestore.COMMAND, "latest"))).isEqualTo(1);
        assertThat(target).hasContent("the existing database");
        assertThat(Path.of(target + "-wal")).exists();

        assertThat(BackupRestore.restore(blobs, key.substring("backups/".length()), target, true)).isEqualTo(key);
        assertThat(query(target, "PRAGMA integrity_check")).isEqualTo("ok");
        assertThat(query(target, "SELECT name FROM users")).isEqualTo("Someone");
        assertThat(Path.of(target + "-wal")).doesNotExist();
        try (var files = Files.list(temp)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.startsWith(".restore-"));
        }
    }

    @Test
    void restore_refuses_a_missing_snapshot_a_bad_key_and_a_blob_that_is_not_an_sqlite_database() throws Exception {
        Path storage = temp.resolve("storage");
        BlobStore blobs = App.blobStore(configFor(storage));
        Path target = temp.resolve("restored/polydebate.db");

        assertThatThrownBy(() -> BackupRestore.restore(blobs, "latest", target, false))
                .isInstanceOf(IOException.class).hasMessageContaining("No snapshot");
        assertThatThrownBy(() -> BackupRestore.restore(blobs, "../polydebate.db", target, false))
                .isInstanceOf(IllegalArgumentException.class);
        blobs.put("backups/polydebate-20261128T120000Z.db", "not a database".repeat(100).getBytes(),
                "application/vnd.sqlite3");
        assertThatThrownBy(() -> BackupRestore.restore(blobs, "latest", target, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not an");
        assertThat(target).doesNotExist();
        assertThat(BackupRestore.run(configFor(storage), blobs, List.of(BackupRestore.COMMAND))).isEqualTo(2);
    }

    @Test
    void backups_are_scheduled_by_default_and_off_when_the_interval_is_zero() {
        sqliteOnly();
        try (TestServer byDefault = TestServer.start();
             TestServer off = TestServer.builder().env("BACKUP_INTERVAL_MINUTES", "0").start()) {
            assertThat(byDefault.config().backups().intervalMinutes()).isEqualTo(360);
            assertThat(byDefault.config().backups().retain()).isEqualTo(7);
            assertThat(byDefault.app().backups().scheduled()).isTrue();
            assertThat(off.app().backups().scheduled()).isFalse();
        }
    }

    @Test
    void backup_settings_out_of_range_stop_start_up() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("BACKUP_INTERVAL_MINUTES", "-1", "BACKUP_RETAIN", "0"),
                new SecureRandom()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("BACKUP_INTERVAL_MINUTES").hasMessageContaining("BACKUP_RETAIN");
    }

    @Test
    void the_env_example_lists_the_backup_variables_with_their_defaults() throws IOException {
        assertThat(Files.readAllLines(Path.of(".env.example")))
                .contains("BACKUP_INTERVAL_MINUTES=360", "BACKUP_RETAIN=7");
    }

    @Test
    void on_postgresql_the_scheduler_does_nothing() throws Exception {
        assumeTrue(TestDatabases.onPostgres(), "only the PostgreSQL run has a PostgreSQL");
        try (TestServer server = TestServer.builder().env("BACKUP_INTERVAL_MINUTES", "1").start()) {
            assertThat(server.app().backups().scheduled()).isFalse();
            assertThat(server.app().backups().snapshot()).isEmpty();
            assertThat(server.app().backups().snapshots()).isEmpty();
            assertThat(server.storage().resolve("backups")).doesNotExist();
        }
    }
}
