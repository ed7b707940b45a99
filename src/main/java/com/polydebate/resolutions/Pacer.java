package com.polydebate.resolutions;

import com.polydebate.upstream.Sleeper;
import java.time.Duration;
import java.util.function.LongSupplier;

/** Spaces requests at least {@code gap} apart (measured on a monotonic clock), so the tracker's rate is bounded. */
final class Pacer {
    private final long gapNanos;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private long last = Long.MIN_VALUE;

    Pacer(Duration gap, Sleeper sleeper, LongSupplier nanoTime) {
        this.gapNanos = gap.toNanos();
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    /** Waits until the gap since the previous call has passed (the first call does not wait). */
    synchronized void await() throws InterruptedException {
        if (last != Long.MIN_VALUE) {
            long wait = last + gapNanos - nanoTime.getAsLong();
            if (wait > 0) {
                sleeper.sleep(Duration.ofNanos(wait));
            }
        }
        last = nanoTime.getAsLong();
    }
}
