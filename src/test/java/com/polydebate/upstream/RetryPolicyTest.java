package com.polydebate.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.polydebate.support.MutableClock;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RandomGenerator NO_JITTER = () -> 0L;
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);
    private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
    private final List<Duration> waits = new ArrayList<>();
    /** Waiting moves the test clock instead of sleeping. */
    private final Sleeper sleeper = wait -> {
        waits.add(wait);
        clock.advance(wait);
    };

    private RetryPolicy policy(int attempts, RandomGenerator random) {
        return new RetryPolicy(attempts, TWO_SECONDS, THIRTY_SECONDS, clock, sleeper, random);
    }

    private static UpstreamResponse answer(int status, String body, String... headers) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return new UpstreamResponse(status, HttpHeaders.of(map, (name, value) -> true),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static UpstreamResponse tooMany(String... headers) {
        return answer(429, "{}", headers);
    }

    private static String retryInfo(String delay) {
        return "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"details\":["
                + "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\"},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + delay + "\"}]}}";
    }

    @Test
    void every_attempt_but_the_last_is_followed_by_a_doubling_wait_and_the_last_gives_up_without_waiting()
            throws InterruptedException {
        RetryPolicy.Attempts attempts = policy(5, NO_JITTER).start();

        List<Boolean> retried = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            retried.add(attempts.backOff(tooMany()));
        }

        assertThat(retried).containsExactly(true, true, true, true, false);
        assertThat(attempts.failed()).isEqualTo(5);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16));
    }

    @Test
    void a_single_attempt_policy_never_waits() throws InterruptedException {
        assertThat(policy(1, NO_JITTER).start().backOff(tooMany())).isFalse();
        assertThat(waits).isEmpty();
        assertThatThrownBy(() -> policy(0, NO_JITTER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void each_call_counts_its_own_attempts() throws InterruptedException {
        RetryPolicy policy = policy(2, NO_JITTER);
        RetryPolicy.Attempts first = policy.start();
        first.backOff(tooMany());

        RetryPolicy.Attempts second = policy.start();

        assertThat(second.failed()).isZero();
        assertThat(second.backOff(tooMany())).isTrue();
        assertThat(waits).containsExactly(TWO_SECONDS, TWO_SECONDS);
    }

    @Test
    void a_longer_retry_after_is_honoured_a_shorter_one_does_not_cut_the_backoff_and_both_stop_at_the_cap()
            throws InterruptedException {
        RetryPolicy.Attempts attempts = policy(5, NO_JITTER).start();

        attempts.backOff(tooMany("Retry-After", "7"));
        attempts.backOff(tooMany("Retry-After", "1"));
        attempts.backOff(tooMany("Retry-After", "120"));
        attempts.backOff(tooMany("Retry-After", "2.5"));

        assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(4), THIRTY_SECONDS,
                Duration.ofSeconds(16));
    }

    @Test
    void retry_after_as_an_http_date_waits_until_that_moment_and_an_unreadable_one_is_ignored()
            throws InterruptedException {
        String inTwentySeconds = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(clock.instant().plusSeconds(20).atOffset(ZoneOffset.UTC));
        RetryPolicy.Attempts attempts = policy(4, NO_JITTER).start();

        attempts.backOff(tooMany("Retry-After", inTwentySeconds));
        attempts.backOff(tooMany("Retry-After", "soon"));
        attempts.backOff(tooMany("Retry-After", "-5"));

        assertThat(waits).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(4), Duration.ofSeconds(8));
    }

    @Test
    void a_google_retry_info_delay_in_the_error_body_wins_over_retry_after() throws InterruptedException {
        RetryPolicy.Attempts attempts = policy(3, NO_JITTER).start();

        attempts.backOff(answer(429, retryInfo("26s"), "Retry-After", "3"));
        attempts.backOff(answer(429, retryInfo("0.5s")));

        assertThat(waits).containsExactly(Duration.ofSeconds(26), Duration.ofSeconds(4));
    }

    @Test
    void a_body_that_is_not_json_or_has_no_retry_info_asks_for_nothing() throws InterruptedException {
        RetryPolicy.Attempts attempts = policy(4, NO_JITTER).start();

        attempts.backOff(answer(503, "<html>Service Unavailable</html>"));
        attempts.backOff(answer(429,
                "{\"error\":{\"details\":[{\"@type\":\"google.rpc.RetryInfo\",\"retryDelay\":\"x\"}]}}"));
        attempts.backOff(answer(429, ""));

        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    }

    @Test
    void jitter_adds_at_most_a_fifth_never_passes_the_cap_and_repeats_with_the_same_seed()
            throws InterruptedException {
        List<Duration> firstRun = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            waits.clear();
            RetryPolicy policy = policy(5, new Random(42));
            for (int call = 0; call < 50; call++) {
                RetryPolicy.Attempts attempts = policy.start();
                while (attempts.backOff(tooMany())) {
                    // every wait is recorded
                }
            }
            if (run == 0) {
                firstRun.addAll(waits);
            }
        }

        assertThat(waits).hasSize(200).isEqualTo(firstRun);
        for (int i = 0; i < waits.size(); i++) {
            Duration base = Duration.ofSeconds(2L << (i % 4));
            Duration ceiling = Duration.ofMillis(Math.min(THIRTY_SECONDS.toMillis(),
                    Math.round(base.toMillis() * (1 + RetryPolicy.JITTER))));
            assertThat(waits.get(i)).isBetween(base, ceiling);
        }
        assertThat(waits.stream().distinct().count()).as("the waits are spread").isGreaterThan(100);
        assertThat(waits.stream().filter(w -> w.compareTo(Duration.ofSeconds(16)) >= 0))
                .allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(THIRTY_SECONDS));
    }

    @Test
    void jitter_spreads_a_retry_after_too_but_never_below_what_was_asked() throws InterruptedException {
        RetryPolicy policy = policy(2, new Random(7));
        for (int call = 0; call < 20; call++) {
            policy.start().backOff(tooMany("Retry-After", "10"));
        }

        assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12)));
        assertThat(waits.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void with_a_budget_attempt_timeouts_shrink_to_what_is_left_and_no_wait_runs_past_it()
            throws InterruptedException {
        RetryPolicy.Attempts attempts = policy(5, NO_JITTER).withBudget(Duration.ofSeconds(10)).start();

        assertThat(attempts.timeout(Duration.ofSeconds(60))).contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(3));
        assertThat(attempts.timeout(Duration.ofSeconds(60))).contains(Duration.ofSeconds(7));
        assertThat(attempts.timeout(Duration.ofSeconds(5))).contains(Duration.ofSeconds(5));

        assertThat(attempts.backOff(tooMany())).isTrue();
        assertThat(attempts.backOff(tooMany())).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(attempts.timeout(Duration.ofSeconds(60))).contains(Duration.ofSeconds(1));

        assertThat(attempts.backOff(tooMany())).as("8 s would pass the 1 s left").isFalse();
        assertThat(waits).hasSize(2);
        clock.advance(Duration.ofMillis(950));
        assertThat(attempts.timeout(Duration.ofSeconds(60))).as("50 ms cannot bring an answer").isEmpty();
    }

    @Test
    void a_requested_wait_beyond_the_budget_ends_the_attempts_at_once() throws InterruptedException {
        RetryPolicy.Attempts attempts = policy(3, NO_JITTER).withBudget(Duration.ofSeconds(10)).start();

        assertThat(attempts.backOff(answer(429, retryInfo("26s")))).isFalse();

        assertThat(waits).isEmpty();
    }

    @Test
    void without_a_budget_every_attempt_gets_its_full_timeout() {
        RetryPolicy.Attempts attempts = policy(3, NO_JITTER).start();
        clock.advance(Duration.ofDays(1));

        assertThat(attempts.timeout(Duration.ofSeconds(30))).contains(Duration.ofSeconds(30));
    }

    @Test
    void an_interrupted_wait_is_passed_on() {
        RetryPolicy interrupted = new RetryPolicy(3, TWO_SECONDS, THIRTY_SECONDS, clock, wait -> {
            throw new InterruptedException("stop");
        }, NO_JITTER);

        assertThatThrownBy(() -> interrupted.start().backOff(tooMany())).isInstanceOf(InterruptedException.class);
    }
}
