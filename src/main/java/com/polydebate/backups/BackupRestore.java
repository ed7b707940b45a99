package com.polydebate.backups;

import com.polydebate.config.Config;
import com.polydebate.storage.BlobStore;
import com.polydebate.storage.ByteRange;
import com.polydebate.storage.FileSystemBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore command, run with the server stopped:
 * {@code java -jar target/polydebate.jar --restore-backup <key|latest> [--force] [--from <dir>]}. Copies the
 * snapshot from the blob store (or from the {@code backups/} folder under {@code <dir>}, e.g. an old
 * {@code STORAGE_DIR}) to the SQLite database of the configuration ({@code STORAGE_DIR/polydebate.db} by default),
 * after checking it is an intact SQLite database, and refuses to replace an existing database without
 * {@code --force}.
 */
public final class BackupRestore {
    public static final String COMMAND = "--restore-backup";
    public static final String LATEST = "latest";
    private static final Logger log = LoggerFactory.getLogger(BackupRestore.class);
    private static final String USAGE = "usage: " + COMMAND + " <backups/polydebate-…db|polydebate-…db|" + LATEST
            + "> [--force] [--from <dir holding backups/>]";

    private BackupRestore() {
    }

    /** Runs the command line ({@code args} start with {@value #COMMAND}); the process's exit status. */
    public static int run(Config config, BlobStore blobs, List<String> args) {
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        boolean force = rest.remove("--force");
        int from = rest.indexOf("--from");
        if (from >= 0) {
            if (from + 1 >= rest.size()) {
                log.error(USAGE);
                return 2;
            }
            blobs = new FileSystemBlobStore(Path.of(rest.get(from + 1)));
            rest.subList(from, from + 2).clear();
        }
        if (rest.size() != 1) {
            log.error(USAGE);
            return 2;
        }
        Optional<Path> target = sqlitePath(config.databaseUrl());
        if (target.isEmpty()) {
            log.error("{} restores an SQLite database; on PostgreSQL use the provider's backups or pg_restore "
                    + "(README)", COMMAND);
            return 2;
        }
        try {
            String key = restore(blobs, rest.get(0), target.get(), force);
            log.info("Restored {} to {}", key, target.get());
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            log.error("Restore failed: {}", e.getMessage());
            return 1;
        }
    }

    /**
     * Writes the snapshot {@code keyOrLatest} to {@code target} and returns its key. Refuses (and writes nothing)
     * when {@code target} exists and {@code force} is false, when there is no such snapshot, or when it is not an
     * intact SQLite database.
     */
    public static String restore(BlobStore blobs, String keyOrLatest, Path target, boolean force) throws IOException {
        if (!force && Files.exists(target)) {
            throw new FileAlreadyExistsException(target + " exists; stop the server and add --force to replace it");
        }
        String key = resolve(blobs, keyOrLatest);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".restore-", ".tmp");
        try {
            try (BlobStore.Blob blob = blobs.open(key, ByteRange.ALL)
                    .orElseThrow(() -> new NoSuchFileException("No snapshot " + key));
                 InputStream content = blob.content()) {
                Files.copy(content, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            checkIntact(temp, key);
            if (!force && Files.exists(target)) {
                throw new FileAlreadyExistsException(target + " exists; add --force to replace it");
            }
            // A write-ahead log left by the replaced database would otherwise be replayed into the snapshot.
            Files.deleteIfExists(Path.of(target + "-wal"));
            Files.deleteIfExists(Path.of(target + "-shm"));
            Files.deleteIfExists(Path.of(target + "-journal"));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return key;
        } finally {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(Path.of(temp + "-wal"));
            Files.deleteIfExists(Path.of(temp + "-shm"));
        }
    }

    /** The SQLite file a JDBC URL names; empty for PostgreSQL or an in-memory database. */
    public static Optional<Path> sqlitePath(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        if (path.isEmpty() || path.equals(":memory:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path));
    }

    private static String resolve(BlobStore blobs, String keyOrLatest) throws IOException {
        if (keyOrLatest.equals(LATEST)) {
            List<String> keys = Backups.snapshots(blobs);
            if (keys.isEmpty()) {
                throw new NoSuchFileException("No snapshot under " + Backups.PREFIX);
            }
            return keys.get(keys.size() - 1);
        }
        String key = keyOrLatest.startsWith(Backups.PREFIX) ? keyOrLatest : Backups.PREFIX + keyOrLatest;
        if (!Backups.SNAPSHOT_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a snapshot key: " + keyOrLatest + " (" + USAGE + ")");
        }
        return key;
    }

    private static void checkIntact(Path file, String key) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
            String verdict = result.next() ? result.getString(1) : "no answer";
            if (!"ok".equals(verdict)) {
                throw new IllegalStateException(key + " is not an intact SQLite database: " + verdict);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(key + " is not an SQLite database: " + e.getMessage(), e);
        }
    }
}
