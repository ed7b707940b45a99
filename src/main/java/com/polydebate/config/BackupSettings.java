package com.polydebate.config;

/**
 * SQLite snapshots to the blob store ({@code backups/}): one every {@code intervalMinutes} (0 = off), the
 * {@code retain} newest kept. PostgreSQL relies on the provider's backups and {@code pg_dump} instead.
 */
public record BackupSettings(int intervalMinutes, int retain) {
    public static final int DEFAULT_INTERVAL_MINUTES = 360;
    public static final int DEFAULT_RETAIN = 7;

    public boolean enabled() {
        return intervalMinutes > 0;
    }
}
