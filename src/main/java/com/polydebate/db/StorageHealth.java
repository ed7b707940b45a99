package com.polydebate.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this instance can still write: the database and files under {@code STORAGE_DIR}. A write that
 * failed for lack of space (or a read-only database) is remembered for a minute, and a storage directory
 * with almost no usable space counts as full, so {@code /api/health} says so instead of "ok".
 */
public final class StorageHealth {
    private static final Duration MEMORY = Duration.ofMinutes(1);
    private static final long MIN_USABLE_BYTES = 1024 * 1024;
    /** SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL (primary result codes). */
    private static final Set<Integer> SQLITE_STORAGE_CODES = Set.of(8, 10, 13);
    /** PostgreSQL class 53: insufficient resources (disk full, out of memory). */
    private static final String POSTGRES_RESOURCES = "53";

    private final Path storageDir;
    private final Clock clock;
    private final AtomicReference<Instant> lastFailure = new AtomicReference<>();

    public StorageHealth(Path storageDir, Clock clock) {
        this.storageDir = storageDir;
        this.clock = clock;
    }

    /** True when {@code error} (or a cause) says the storage cannot take writes: full, read-only or failing. */
    public static boolean isStorageFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (SQLITE_STORAGE_CODES.contains(sql.getErrorCode() & 0xFF)
                    || (sql.getSQLState() != null && sql.getSQLState().startsWith(POSTGRES_RESOURCES)))) {
                return true;
            }
            if (t instanceof IOException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (message.contains("no space left") || message.contains("read-only file system")
                        || message.contains("disk quota")) {
                    return true;
                }
            }
        }
        return false;
    }

    public void recordFailure() {
        lastFailure.set(clock.instant());
    }

    public boolean isWritable() {
        Instant failed = lastFailure.get();
        if (failed != null && clock.instant().isBefore(failed.plus(MEMORY))) {
            return false;
        }
        try {
            return Files.getFileStore(storageDir).getUsableSpace() >= MIN_USABLE_BYTES;
        } catch (IOException e) {
            return false;
        }
    }
}
