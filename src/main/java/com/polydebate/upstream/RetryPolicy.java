package com.polydebate.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every upstream client retries. At most {@code maxAttempts} calls; before each retry the exponential back-off
 * from {@code firstBackoff} (1, 2, 4… times it), or longer when the upstream asked for longer (a
 * {@code google.rpc.RetryInfo} delay in the error body, else {@code Retry-After}), plus up to {@link #JITTER} of
 * it at random so that callers refused together do not return together, capped at {@code maxWait}. With a budget,
 * no wait and no attempt runs past it. Which answers are worth a retry stays the client's decision.
 *
 * <p>Waits go through the {@link Sleeper} and jitter comes from the random generator (shared by concurrent calls,
 * so it must be thread-safe, like {@link java.security.SecureRandom}): tests record the one and seed the other.
 */
public final class RetryPolicy {
    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);
    /** The largest share of a wait added at random. */
    static final double JITTER = 0.2;
    /** Less time than this left of the budget cannot bring an answer, so no attempt starts with less. */
    static final Duration MIN_ATTEMPT = Duration.ofMillis(100);
    private static final Pattern PROTOBUF_SECONDS = Pattern.compile("^(\\d+(?:\\.\\d+)?)s$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxWait;
    private final Optional<Duration> budget;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxWait, Clock clock, Sleeper sleeper,
                       RandomGenerator random) {
        this(maxAttempts, firstBackoff, maxWait, Optional.empty(), clock, sleeper, random);
    }

    private RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxWait, Optional<Duration> budget,
                        Clock clock, Sleeper sleeper, RandomGenerator random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("At least one attempt is needed; got " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxWait = maxWait;
        this.budget = budget;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** The same policy, with all attempts and waits of one call kept within {@code total}. */
    public RetryPolicy withBudget(Duration total) {
        return new RetryPolicy(maxAttempts, firstBackoff, maxWait, Optional.of(total), clock, sleeper, random);
    }

    /** The attempts of one call; the budget, if any, starts now. */
    public Attempts start() {
        return new Attempts(budget.map(clock.instant()::plus));
    }

    /** One call's attempts so far. Not shared between threads: each call starts its own. */
    public final class Attempts {
        private final Optional<Instant> deadline;
        private int failed;

        private Attempts(Optional<Instant> deadline) {
            this.deadline = deadline;
        }

        /**
         * The timeout for the next attempt: {@code perAttempt}, or what is left of the budget when that is less;
         * empty when too little is left to start one.
         */
        public Optional<Duration> timeout(Duration perAttempt) {
            if (deadline.isEmpty()) {
                return Optional.of(perAttempt);
            }
            Duration left = Duration.between(clock.instant(), deadline.get());
            if (left.compareTo(MIN_ATTEMPT) < 0) {
                return Optional.empty();
            }
            return Optional.of(left.compareTo(perAttempt) < 0 ? left : perAttempt);
        }

        /**
         * Counts an attempt that failed with {@code answer} and waits before the next one: true once waited, false
         * without waiting when that was the last attempt or the wait would leave no time for another one.
         */
        public boolean backOff(UpstreamResponse answer) throws InterruptedException {
            failed++;
            if (failed >= maxAttempts) {
                return false;
            }
            Duration wait = waitBefore(failed + 1, requestedWait(answer));
            if (deadline.isPresent() && clock.instant().plus(wait).plus(MIN_ATTEMPT).isAfter(deadline.get())) {
                log.warn("Retry {} would wait {} ms, beyond the call's budget; giving up", failed + 1, wait.toMillis());
                return false;
            }
            sleeper.sleep(wait);
            return true;
        }

        /** How many attempts have failed. */
        public int failed() {
            return failed;
        }
    }

    /** The wait before attempt number {@code attempt} (2 or more), given what the upstream asked for. */
    Duration waitBefore(int attempt, Optional<Duration> requested) {
        Duration backoff = firstBackoff.multipliedBy(1L << Math.min(attempt - 2, 30));
        Duration base = requested.filter(r -> r.compareTo(backoff) > 0).orElse(backoff);
        Duration capped = base.compareTo(maxWait) > 0 ? maxWait : base;
        double jittered = capped.toMillis() * (1 + JITTER * random.nextDouble());
        return Duration.ofMillis(Math.min(maxWait.toMillis(), Math.round(jittered)));
    }

    /** What the upstream asked for: RetryInfo's {@code retryDelay} ("26s") when the body has one, else Retry-After. */
    Optional<Duration> requestedWait(UpstreamResponse answer) {
        return retryInfo(answer.body()).or(() -> retryAfter(answer.headers()));
    }

    /** {@code google.rpc.RetryInfo} in the Google error model ({@code error.details[]}), as Gemini sends it. */
    private static Optional<Duration> retryInfo(byte[] body) {
        JsonNode details;
        try {
            details = JSON.readTree(body).path("error").path("details");
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        for (JsonNode detail : details) {
            if (detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
                Matcher m = PROTOBUF_SECONDS.matcher(detail.path("retryDelay").asText().strip());
                if (m.matches()) {
                    return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000)));
                }
            }
        }
        return Optional.empty();
    }

    /** Retry-After as delay seconds (fractions tolerated) or as an HTTP date; anything else asks for nothing. */
    private Optional<Duration> retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").map(String::strip).flatMap(value -> {
            try {
                double seconds = Double.parseDouble(value);
                return seconds >= 0 && Double.isFinite(seconds)
                        ? Optional.of(Duration.ofMillis(Math.round(Math.min(seconds, Long.MAX_VALUE / 1000.0) * 1000)))
                        : Optional.empty();
            } catch (NumberFormatException notSeconds) {
                try {
                    Duration until = Duration.between(clock.instant(),
                            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                    return until.isNegative() ? Optional.empty() : Optional.of(until);
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        });
    }
}
