package com.polydebate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared limit memory against the database of this run (SQLite, and PostgreSQL in its run). */
class RateLimitStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Instant HOUR_AGO = NOW.minus(Duration.ofHours(1));
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void concurrent_attempts_on_one_key_never_pass_the_limit_together() throws Exception {
        List<RateLimitStore> instances = List.of(new RateLimitStore(server.jdbi()), new RateLimitStore(server.jdbi()));
        Instant longAgo = HOUR_AGO.minus(Duration.ofMinutes(5));
        // The key already exists, as it does for every key after its first attempt: no insert serialises the burst.
        assertThat(instances.get(0).tryRecord("burst", longAgo, longAgo, 5)).isTrue();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                RateLimitStore store = instances.get(i % 2);
                Callable<Boolean> attempt = () -> {
                    go.await();
                    return store.tryRecord("burst", NOW, HOUR_AGO, 5);
                };
                attempts.add(callers.submit(attempt));
            }
            go.countDown();
            int granted = 0;
            for (Future<Boolean> attempt : attempts) {
                granted += attempt.get() ? 1 : 0;
            }

            assertThat(granted).isEqualTo(5);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void the_window_slides_and_a_forgotten_event_frees_its_place() {
        RateLimitStore store = new RateLimitStore(server.jdbi());
        Instant earlier = NOW.minus(Duration.ofMinutes(50));
        assertThat(store.tryRecord("sliding", earlier, earlier.minus(Duration.ofHours(1)), 2)).isTrue();
        assertThat(store.tryRecord("sliding", NOW, HOUR_AGO, 2)).isTrue();
        assertThat(store.tryRecord("sliding", NOW, HOUR_AGO, 2)).isFalse();

        store.forget("sliding", NOW);

        assertThat(store.tryRecord("sliding", NOW, HOUR_AGO, 2)).isTrue();
        Instant later = NOW.plus(Duration.ofMinutes(11));
        assertThat(store.tryRecord("sliding", later, later.minus(Duration.ofHours(1)), 2)).isTrue();
        assertThat(store.tryRecord("sliding", later, later.minus(Duration.ofHours(1)), 2)).isFalse();
    }
}
