package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.auth.User;
import com.polydebate.auth.UserDao;
import com.polydebate.http.ApiException;
import com.polydebate.support.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The daily debate quota (§14.9) against the real SQLite database. */
class DailyQuotaTest {
    private static TestServer server;
    private static DailyQuota quota;

    @BeforeAll
    static void start() {
        server = TestServer.builder().env("DAILY_DEBATE_LIMIT", "3").start();
        quota = new DailyQuota(server.config(), server.clock());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static boolean reserve(long userId) {
        return server.jdbi().inTransaction(h -> quota.tryReserve(h, userId));
    }

    private static User reload(long userId) {
        return server.jdbi().onDemand(UserDao.class).findById(userId).orElseThrow();
    }

    @Test
    void twenty_concurrent_reservations_with_a_limit_of_three_grant_exactly_three() throws Exception {
        long userId = server.createUser("race@example.com").id();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return reserve(userId);
                }));
            }
            go.countDown();
            int granted = 0;
            for (Future<Boolean> result : results) {
                granted += result.get() ? 1 : 0;
            }

            assertThat(granted).isEqualTo(3);
            assertThat(reload(userId).dailyDebateCount()).isEqualTo(3);
            assertThat(quota.remaining(reload(userId))).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_rolled_back_transaction_gives_the_reservation_back() {
        long userId = server.createUser("rollback@example.com").id();

        try {
            server.jdbi().useTransaction(h -> {
                assertThat(quota.tryReserve(h, userId)).isTrue();
                throw new IllegalStateException("debate insert failed");
            });
        } catch (IllegalStateException expected) {
            // the reservation must be undone with the transaction
        }

        assertThat(quota.remaining(reload(userId))).isEqualTo(3);
    }

    @Test
    void the_quota_resets_at_utc_midnight() {
        long userId = server.createUser("midnight@example.com").id();
        Instant start = server.clock().instant();
        try {
            server.clock().set(Instant.parse("2026-11-28T23:59:59Z"));
            for (int i = 0; i < 3; i++) {
                assertThat(reserve(userId)).isTrue();
            }
            assertThat(reserve(userId)).isFalse();
            assertThat(quota.nextReset()).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));

            server.clock().set(Instant.parse("2026-11-29T00:00:00Z"));

            assertThat(quota.remaining(reload(userId))).isEqualTo(3);
            assertThat(reserve(userId)).isTrue();
            assertThat(reload(userId).dailyDebateCount()).isEqualTo(1);
            assertThat(reload(userId).lastDebateDate()).contains("2026-11-29");
            assertThat(quota.remaining(reload(userId))).isEqualTo(2);
        } finally {
            server.clock().set(start);
        }
    }

    @Test
    void the_limit_reached_error_is_a_429_whose_message_contains_limit() {
        ApiException error = quota.limitReached();

        assertThat(error.status()).isEqualTo(429);
        assertThat(error.code()).isEqualTo("daily_limit_reached");
        assertThat(error.getMessage()).contains("limit").contains("3 per day").contains("midnight UTC");
        assertThat(error.topLevelExtras()).containsEntry("remaining_debates", 0);
    }
}
