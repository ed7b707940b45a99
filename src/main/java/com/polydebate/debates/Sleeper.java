package com.polydebate.debates;

import java.time.Duration;

/** Waiting between retries, injectable so tests record the waits instead of spending them. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
