package com.polydebate.config;

/**
 * The market resolution tracker: every {@code pollMinutes} an unsettled market with a debate is read again from
 * Gamma (0 = no background polling; the admin refresh still polls), at most {@code requestsPerMinute} reads a
 * minute, spaced evenly.
 */
public record ResolutionSettings(int pollMinutes, int requestsPerMinute) {
    public static final int DEFAULT_POLL_MINUTES = 30;
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 60;

    public boolean scheduled() {
        return pollMinutes > 0;
    }
}
