package com.polydebate.upstream;

import java.time.Duration;

/** Waiting between upstream retries, injectable so tests record the waits instead of spending them. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
