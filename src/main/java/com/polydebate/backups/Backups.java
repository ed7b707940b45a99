package com.polydebate.backups;

import com.polydebate.config.BackupSettings;
import com.polydebate.db.Database;
import com.polydebate.storage.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consistent SQLite snapshots in the blob store: {@code VACUUM INTO} a temporary file (one read transaction, so
 * the copy is the database as of one moment, while writers go on), stored as
 * {@code backups/polydebate-<UTC yyyyMMdd'T'HHmmss'Z'>.db}, then only the {@code BACKUP_RETAIN} newest are kept.
 * Scheduled every {@code BACKUP_INTERVAL_MINUTES} on one daemon thread that {@link #close} stops. On PostgreSQL
 * nothing is scheduled: the provider's backups and {@code pg_dump} cover it (README).
 */
public final class Backups implements AutoCloseable {
    public static final String PREFIX = "backups/";
    static final String CONTENT_TYPE = "application/vnd.sqlite3";
    static final Pattern SNAPSHOT_KEY = Pattern.compile("^backups/polydebate-\\d{8}T\\d{6}Z\\.db$");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Logger log = LoggerFactory.getLogger(Backups.class);

    private final BackupSettings settings;
    private final Database database;
    private final BlobStore blobs;
    private final Path workDir;
    private final Clock clock;
    private final Object snapshotLock = new Object();
    private ScheduledExecutorService scheduler;

    /** {@code workDir} holds the temporary snapshot file while it is written (the storage directory). */
    public Backups(BackupSettings settings, Database database, BlobStore blobs, Path workDir, Clock clock) {
        this.settings = settings;
        this.database = database;
        this.blobs = blobs;
        this.workDir = workDir;
        this.clock = clock;
    }

    /** Schedules the snapshots (the first one interval after start); false, logged once, when there are none. */
    public synchronized boolean start() {
        if (database.kind() != Database.Kind.SQLITE) {
            log.info("Backups are not taken on PostgreSQL: rely on the provider's backups and pg_dump (README)");
            return false;
        }
        if (!settings.enabled()) {
            log.info("Backups are off (BACKUP_INTERVAL_MINUTES=0)");
            return false;
        }
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "backups");
                thread.setDaemon(true);
                return thread;
            });
            long interval = settings.intervalMinutes();
            scheduler.scheduleWithFixedDelay(this::scheduledSnapshot, interval, interval, TimeUnit.MINUTES);
            log.info("Backups: a snapshot every {} minutes to {}, the {} newest kept", interval, PREFIX,
                    settings.retain());
        }
        return true;
    }

    /** True while snapshots are scheduled. */
    public synchronized boolean scheduled() {
        return scheduler != null && !scheduler.isShutdown();
    }

    /**
     * Takes one snapshot now and prunes the old ones; the new key, or empty on PostgreSQL (nothing is done).
     */
    public Optional<String> snapshot() throws IOException {
        if (database.kind() != Database.Kind.SQLITE) {
            return Optional.empty();
        }
        synchronized (snapshotLock) {
            Files.createDirectories(workDir);
            // Our own fresh path, never input; VACUUM INTO needs a file that does not exist yet.
            Path dir = Files.createTempDirectory(workDir, ".backup-");
            Path file = dir.resolve("snapshot.db");
            try {
                database.jdbi().useHandle(handle -> handle.createUpdate("VACUUM INTO :file")
                        .bind("file", file.toAbsolutePath().toString())
                        .execute());
                String key = PREFIX + "polydebate-" + STAMP.format(clock.instant()) + ".db";
                blobs.put(key, Files.readAllBytes(file), CONTENT_TYPE);
                prune();
                return Optional.of(key);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        }
    }

    /** The stored snapshots' keys, oldest first. */
    public List<String> snapshots() throws IOException {
        return snapshots(blobs);
    }

    static List<String> snapshots(BlobStore blobs) throws IOException {
        return blobs.list(PREFIX).stream().filter(key -> SNAPSHOT_KEY.matcher(key).matches()).sorted().toList();
    }

    private void prune() throws IOException {
        List<String> keys = snapshots();
        for (String key : keys.subList(0, Math.max(0, keys.size() - settings.retain()))) {
            blobs.delete(key);
        }
    }

    private void scheduledSnapshot() {
        try {
            snapshot().ifPresent(key -> log.info("Backup stored as {}", key));
        } catch (IOException | RuntimeException e) {
            // The next run tries again; an exception here would cancel the schedule.
            log.error("Backup failed: {}", e.toString(), e);
        }
    }

    /** Stops the schedule and waits for a snapshot under way (before the database closes). */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            if (!running.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("A backup still running after 60 s is abandoned");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
