package com.polydebate.debates;

import com.polydebate.auth.User;
import com.polydebate.auth.UserDao;
import com.polydebate.config.Config;
import com.polydebate.http.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The daily debate quota of §14.9, counted on the user's row. {@link #tryReserve} is one conditional UPDATE
 * that checks and increments together; call it inside the transaction that inserts the debate, so a
 * failure later in that transaction gives the slot back.
 */
public final class DailyQuota {
    private final int limit;
    private final Clock clock;

    public DailyQuota(Config config, Clock clock) {
        this.limit = config.dailyDebateLimit();
        this.clock = clock;
    }

    public boolean tryReserve(Handle handle, long userId) {
        return handle.attach(UserDao.class).reserveDailyDebate(userId, today().toString(), limit);
    }

    public int limit() {
        return limit;
    }

    /** Debates the user may still start today (UTC). */
    public int remaining(User user) {
        boolean today = user.lastDebateDate().map(d -> d.equals(today().toString())).orElse(false);
        return today ? Math.max(0, limit - user.dailyDebateCount()) : limit;
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** The start of the next UTC day, when every quota resets. */
    public Instant nextReset() {
        return today().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * 429 daily_limit_reached with top-level {@code remaining_debates: 0}. The message contains the word
     * "limit", which the stock frontend looks for to show its limit state (§22.10).
     */
    ApiException limitReached() {
        return new ApiException(429, "daily_limit_reached",
                "Daily debate limit reached (" + limit + " per day). It resets at midnight UTC.",
                Map.of(), Map.of(), Map.of("remaining_debates", 0));
    }
}
