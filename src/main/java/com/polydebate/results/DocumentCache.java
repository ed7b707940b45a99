package com.polydebate.results;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.polydebate.db.DebateChanges;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Serialized debate documents, served from memory with no statement. Every write that changes a document announces
 * itself in its transaction ({@link DebateChanges}): the debate's events and state changes (the event log), its
 * deletion, its summary and its stored final predictions; the announcement drops the copy here and, through the
 * database, on every other instance. While announcements from other instances cannot be trusted to arrive (the
 * listener is reconnecting), a read checks the debate's version in the database instead (see
 * {@link DebateReadDao#version}, one statement) and reuses the document only while it is unchanged.
 *
 * <p>An announcement can cross a read that is building the document from what it read before the change; so each
 * document carries the generation of its debate's stripe and the listener's epoch from before its read, and counts
 * only while both are unchanged: an announcement advances the generation, a reconnection of the listener the epoch.
 */
final class DocumentCache {
    private static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final int STRIPES = 4096;

    /** When the document's read began, to tell whether an announcement came since. */
    record Stamp(long epoch, long generation) {
    }

    private record Entry(DebateReadDao.Version version, byte[] json, Stamp stamp) {
    }

    private final DebateChanges changes;
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    private final Cache<String, Entry> entries = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((String id, Entry e) -> e.json().length + id.length())
            .build();

    DocumentCache(DebateChanges changes) {
        this.changes = changes;
        changes.subscribe(this::invalidate);
    }

    /** The document when no change was announced since it was read; no statement runs. */
    Optional<byte[]> current(String debateId) {
        Entry entry = entries.getIfPresent(debateId);
        if (entry == null || !changes.trusted() || !entry.stamp().equals(stamp(debateId))) {
            return Optional.empty();
        }
        return Optional.of(entry.json());
    }

    /** Taken before reading the version, so that an announcement during the read outdates what it builds. */
    Stamp stamp(String debateId) {
        return new Stamp(changes.epoch(), generations.get(stripe(debateId)));
    }

    /**
     * The cached document when it was built at this version. The version just read confirms it as of {@code stamp},
     * so a document kept from before (say, before the listener connected) is stamped anew and served from memory
     * from then on.
     */
    Optional<byte[]> get(String debateId, DebateReadDao.Version version, Stamp stamp) {
        Entry entry = entries.getIfPresent(debateId);
        if (entry == null || !entry.version().equals(version)) {
            return Optional.empty();
        }
        if (!entry.stamp().equals(stamp)) {
            entries.put(debateId, new Entry(version, entry.json(), stamp));
        }
        return Optional.of(entry.json());
    }

    /**
     * Builds and stores the document under the version and stamp taken before building: if the debate changed in
     * between, the stored version or stamp is already outdated and the next read rebuilds.
     */
    byte[] put(String debateId, DebateReadDao.Version version, Stamp stamp, Supplier<byte[]> build) {
        byte[] json = build.get();
        entries.put(debateId, new Entry(version, json, stamp));
        return json;
    }

    private void invalidate(String debateId) {
        generations.incrementAndGet(stripe(debateId));
        entries.invalidate(debateId);
    }

    private static int stripe(String debateId) {
        return Math.floorMod(debateId.hashCode(), STRIPES);
    }
}
