package com.polydebate.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A TTL cache for upstream answers with single-flight loading (concurrent misses for one key share one
 * loader call) and stale-on-error (a failed reload answers the last good value when there is one).
 * Expiry follows the injected {@link Clock}, so tests move time instead of sleeping. The last good value
 * of a key is kept after expiry for stale-on-error; {@code maxEntries} bounds the memory that takes.
 */
public final class TtlCache<K, V> {
    private record Entry<V>(V value, Instant loadedAt) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final Predicate<RuntimeException> servesStaleOn;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Map<K, CompletableFuture<V>> loading = new ConcurrentHashMap<>();

    /**
     * @param servesStaleOn which loader failures may be answered with a stale value; others (for example
     *     an authoritative "not found") always propagate
     */
    public TtlCache(Clock clock, Duration ttl, int maxEntries, Predicate<RuntimeException> servesStaleOn) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.servesStaleOn = servesStaleOn;
    }

    public TtlCache(Clock clock, Duration ttl, int maxEntries) {
        this(clock, ttl, maxEntries, e -> true);
    }

    /** The fresh cached value, or the loader's value (loaded once for all concurrent callers). */
    public V get(K key, Function<? super K, ? extends V> loader) {
        Entry<V> entry = entries.get(key);
        if (entry != null && isFresh(entry)) {
            return entry.value();
        }
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            // Another caller may have finished loading between our miss and taking the slot.
            Entry<V> current = entries.get(key);
            if (current != null && isFresh(current)) {
                mine.complete(current.value());
                return current.value();
            }
            V value = load(key, loader, current);
            mine.complete(value);
            return value;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    /** The cached value regardless of age, without loading. */
    Optional<V> peek(K key) {
        Entry<V> entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    public int size() {
        return entries.size();
    }

    private V load(K key, Function<? super K, ? extends V> loader, Entry<V> stale) {
        V value;
        try {
            value = loader.apply(key);
        } catch (RuntimeException e) {
            if (stale != null && servesStaleOn.test(e)) {
                return stale.value();
            }
            throw e;
        }
        entries.put(key, new Entry<>(value, clock.instant()));
        if (entries.size() > maxEntries) {
            evict();
        }
        return value;
    }

    private boolean isFresh(Entry<V> entry) {
        return clock.instant().isBefore(entry.loadedAt().plus(ttl));
    }

    private void evict() {
        entries.entrySet().removeIf(e -> !isFresh(e.getValue()));
        while (entries.size() > maxEntries) {
            entries.entrySet().stream()
                    .min(Comparator.comparing((Map.Entry<K, Entry<V>> e) -> e.getValue().loadedAt()))
                    .ifPresent(oldest -> entries.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    private static <V> V await(CompletableFuture<V> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
