package com.polydebate.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.polydebate.support.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
    private final MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
    private final TtlCache<String, String> cache = new TtlCache<>(clock, Duration.ofSeconds(60), 100);

    @Test
    void fresh_value_is_served_without_calling_the_loader_again() {
        AtomicInteger loads = new AtomicInteger();

        cache.get("k", k -> "v" + loads.incrementAndGet());
        clock.advance(Duration.ofSeconds(59));

        assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void value_reloads_once_the_ttl_has_passed_on_the_clock() {
        AtomicInteger loads = new AtomicInteger();
        cache.get("k", k -> "v" + loads.incrementAndGet());

        clock.advance(Duration.ofSeconds(60));

        assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v2");
    }

    @Test
    void keys_are_cached_independently() {
        cache.get("a", k -> "A");

        assertThat(cache.get("b", k -> "B")).isEqualTo("B");
        assertThat(cache.get("a", k -> "other")).isEqualTo("A");
    }

    @Test
    void concurrent_misses_for_one_key_share_a_single_load() throws Exception {
        int callers = 50;
        GateClock gate = new GateClock(clock);
        TtlCache<String, String> gated = new TtlCache<>(gate, Duration.ofSeconds(60), 100);
        gated.get("k", k -> "old");
        clock.advance(Duration.ofSeconds(61));
        // A caller reads the clock when it finds the entry expired: holding each at that reading until all have
        // taken it puts every caller past its miss before any of them can load.
        gate.holdReadings(callers);
        AtomicInteger loads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> gated.get("k", k -> "new" + loads.incrementAndGet())));
            }
            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("new1");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void failed_reload_serves_the_last_good_value() {
        cache.get("k", k -> "good");
        clock.advance(Duration.ofSeconds(61));

        assertThat(cache.get("k", k -> {
            throw new IllegalStateException("upstream down");
        })).isEqualTo("good");
    }

    @Test
    void stale_value_is_not_refreshed_by_a_failure_so_the_next_call_retries() {
        cache.get("k", k -> "good");
        clock.advance(Duration.ofSeconds(61));
        cache.get("k", k -> {
            throw new IllegalStateException("upstream down");
        });

        assertThat(cache.get("k", k -> "fresh")).isEqualTo("fresh");
    }

    @Test
    void failure_without_a_cached_value_propagates_and_is_not_cached() {
        assertThatThrownBy(() -> cache.get("k", k -> {
            throw new IllegalStateException("upstream down");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(cache.get("k", k -> "later")).isEqualTo("later");
    }

    @Test
    void failures_the_predicate_rejects_propagate_even_with_a_stale_value() {
        TtlCache<String, String> strict = new TtlCache<>(clock, Duration.ofSeconds(60), 100,
                e -> !(e instanceof IllegalArgumentException));
        strict.get("k", k -> "good");
        clock.advance(Duration.ofSeconds(61));

        assertThatThrownBy(() -> strict.get("k", k -> {
            throw new IllegalArgumentException("gone");
        })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entries_beyond_the_bound_evict_the_oldest() {
        TtlCache<Integer, Integer> small = new TtlCache<>(clock, Duration.ofSeconds(60), 3);
        for (int i = 0; i < 5; i++) {
            small.get(i, k -> k);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(small.size()).isEqualTo(3);
        assertThat(small.peek(0)).isEmpty();
        assertThat(small.peek(4)).contains(4);
    }

    /** A clock that holds each of the next {@code n} readings until all {@code n} have been taken. */
    private static final class GateClock extends Clock {
        private final Clock time;
        private volatile CountDownLatch gate = new CountDownLatch(0);

        GateClock(Clock time) {
            this.time = time;
        }

        void holdReadings(int n) {
            gate = new CountDownLatch(n);
        }

        @Override
        public Instant instant() {
            CountDownLatch current = gate;
            current.countDown();
            try {
                if (!current.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError(current.getCount() + " readings of the clock never came");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return time.instant();
        }

        @Override
        public ZoneId getZone() {
            return time.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
