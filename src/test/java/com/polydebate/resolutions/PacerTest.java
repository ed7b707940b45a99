package com.polydebate.resolutions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The tracker's request spacing, on a monotonic clock the test moves (the sleeper records instead of sleeping). */
class PacerTest {

    @Test
    void requests_are_spaced_by_the_gap_counting_the_time_already_spent() throws InterruptedException {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        List<Duration> waits = new ArrayList<>();
        Pacer pacer = new Pacer(Duration.ofSeconds(1), duration -> {
            waits.add(duration);
            nanos.addAndGet(duration.toNanos());
        }, nanos::get);

        pacer.await();
        assertThat(waits).isEmpty();

        nanos.addAndGet(Duration.ofMillis(300).toNanos());
        pacer.await();
        assertThat(waits).containsExactly(Duration.ofMillis(700));

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        pacer.await();
        assertThat(waits).as("a request after a long pause goes at once").hasSize(1);

        pacer.await();
        assertThat(waits).containsExactly(Duration.ofMillis(700), Duration.ofSeconds(1));
    }
}
