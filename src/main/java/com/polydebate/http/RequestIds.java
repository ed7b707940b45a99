package com.polydebate.http;

import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Request ids that are unique without costing a {@code SecureRandom} UUID per request: a random prefix drawn once
 * per process (48 bits, so that instances and restarts do not collide) and a counter.
 */
final class RequestIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    RequestIds(RandomGenerator random) {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        this.prefix = HexFormat.of().formatHex(bytes) + "-";
    }

    String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
