package com.polydebate.results;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.polydebate.db.DebateChanges;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Serialized debate documents. A settled debate (completed, stopped or failed) changes only through a few writes —
 * its deletion, its summary, its stored final predictions — which all announce themselves ({@link DebateChanges}),
 * so its document is served from memory with no statement at all until such an announcement arrives, here or from
 * another instance. A live debate changes with every event, so its document is reused only while its version in the
 * database (see {@link DebateReadDao#version}, one statement) is unchanged.
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

    private record Entry(DebateReadDao.Version version, byte[] json, boolean settled, Stamp stamp) {
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

    /** The document of a settled debate when no change was announced since it was read; no statement runs. */
    Optional<byte[]> settled(String debateId) {
        Entry entry = entries.getIfPresent(debateId);
        if (entry == null || !entry.settled() || !changes.trusted() || !entry.stamp().equals(stamp(debateId))) {
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
        if (entry.settled() && !entry.stamp().equals(stamp)) {
            entries.put(debateId, new Entry(version, entry.json(), true, stamp));
        }
        return Optional.of(entry.json());
    }

    /**
     * Builds and stores the document under the version and stamp taken before building: if the debate changed in
     * between, the stored version or stamp is already outdated and the next read rebuilds.
     */
    byte[] put(String debateId, DebateReadDao.Version version, Stamp stamp, Supplier<byte[]> build) {
        byte[] json = build.get();
        entries.put(debateId, new Entry(version, json, isSettled(version), stamp));
        return json;
    }

    private void invalidate(String debateId) {
        generations.incrementAndGet(stripe(debateId));
        entries.invalidate(debateId);
    }

    private static boolean isSettled(DebateReadDao.Version version) {
        return switch (version.status()) {
            case "completed", "stopped", "failed" -> true;
            default -> false;
        };
    }

    private static int stripe(String debateId) {
        return Math.floorMod(debateId.hashCode(), STRIPES);
    }
}
