package com.polydebate.results;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Serialized debate documents, reused while the debate's version (see {@link DebateReadDao#version}) is
 * unchanged. Every read still checks the version in the database, so a change — a new message or prediction
 * (messages are append-only), a status or round change, stored results, a soft delete — is visible on the very
 * next request; the cache only saves the five-statement load and the JSON serialisation of an unchanged debate.
 */
final class DocumentCache {
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    private record Entry(DebateReadDao.Version version, byte[] json) {
    }

    private final Cache<String, Entry> entries = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((String id, Entry e) -> e.json().length + id.length())
            .build();

    /** The cached document when it was built at this version. */
    Optional<byte[]> get(String debateId, DebateReadDao.Version version) {
        Entry entry = entries.getIfPresent(debateId);
        return entry != null && entry.version().equals(version) ? Optional.of(entry.json()) : Optional.empty();
    }

    /**
     * Builds and stores the document under the version read before building: if the debate changed in
     * between, the stored version is already outdated and the next read rebuilds.
     */
    byte[] put(String debateId, DebateReadDao.Version version, Supplier<byte[]> build) {
        byte[] json = build.get();
        entries.put(debateId, new Entry(version, json));
        return json;
    }
}
