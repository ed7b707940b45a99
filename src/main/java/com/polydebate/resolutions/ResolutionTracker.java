package com.polydebate.resolutions;

import com.polydebate.db.Timestamps;
import com.polydebate.markets.EventSettlement;
import com.polydebate.markets.MarketSettlements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every market that has a visible debate until it settles. One poll: take the tracker lease (only one
 * instance polls at a time, whichever holds it), start following markets with new debates, read each due market from
 * Gamma at a bounded rate, store what Gamma says, release the lease, then let the scores catch up. Everything lives in
 * the database, so a restarted (or another) instance carries on where the last poll stopped.
 */
final class ResolutionTracker {
    private static final Logger log = LoggerFactory.getLogger(ResolutionTracker.class);
    static final Duration LEASE = Duration.ofMinutes(2);

    /** What a poll did; {@code ran} is false when another instance holds the lease. */
    record PollResult(boolean ran, int polled, int changed, int failed, int remaining) {
        static PollResult busy() {
            return new PollResult(false, 0, 0, 0, 0);
        }
    }

    private final ResolutionDao dao;
    private final MarketSettlements gamma;
    private final Clock clock;
    private final String me;
    private final Duration interval;
    private final int perPoll;
    private final Pacer pacer;
    private final Runnable afterPoll;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param interval time between two reads of an unsettled market
     * @param perPoll the most markets one poll reads (the per-minute request budget)
     * @param afterPoll run after each poll that held the lease (scoring newly resolved debates); its failures are
     *     logged, never propagated
     */
    ResolutionTracker(ResolutionDao dao, MarketSettlements gamma, Clock clock, String me, Duration interval,
                      int perPoll, Pacer pacer, Runnable afterPoll) {
        this.dao = dao;
        this.gamma = gamma;
        this.clock = clock;
        this.me = me;
        this.interval = interval;
        this.perPoll = perPoll;
        this.pacer = pacer;
        this.afterPoll = afterPoll;
    }

    /** The scheduled poll: only markets whose next check is due. */
    PollResult pollDue() {
        return poll(false);
    }

    /** The admin's "poll now": every unsettled market, whenever it was last read (up to the per-poll budget). */
    PollResult pollNow() {
        return poll(true);
    }

    private PollResult poll(boolean everyUnsettled) {
        // One poll per instance at a time; the lease keeps other instances out.
        lock.lock();
        try {
            String now = Timestamps.format(clock.instant());
            if (!dao.claimLease(me, until(), now)) {
                return PollResult.busy();
            }
            try {
                return pollHoldingLease(everyUnsettled, now);
            } finally {
                dao.releaseLease(me, Timestamps.format(clock.instant()));
            }
        } finally {
            lock.unlock();
        }
    }

    private PollResult pollHoldingLease(boolean everyUnsettled, String now) {
        dao.discover(now);
        var marketIds = everyUnsettled ? dao.unsettled(perPoll) : dao.due(now, perPoll);
        int polled = 0;
        int changed = 0;
        int failed = 0;
        for (String marketId : marketIds) {
            if (!dao.renewLease(me, until())) {
                log.warn("Resolution tracker lost its lease after {} markets; another instance carries on", polled);
                break;
            }
            try {
                pacer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            polled++;
            try {
                Optional<EventSettlement> event = gamma.settlement(marketId);
                if (event.isEmpty()) {
                    failed++;
                    dao.recordFailure(marketId, "Gamma has no event " + marketId, stamp(), nextCheck());
                    continue;
                }
                if (store(marketId, ResolutionRules.read(event.get()))) {
                    changed++;
                }
            } catch (RuntimeException e) {
                failed++;
                log.warn("Reading the settlement of market {} failed: {}", marketId, e.toString());
                dao.recordFailure(marketId, "Gamma could not be read: " + e.getMessage(), stamp(), nextCheck());
            }
        }
        int remaining = everyUnsettled ? Math.max(0, dao.countUnsettled() - polled)
                : dao.countDue(Timestamps.format(clock.instant()));
        try {
            afterPoll.run();
        } catch (RuntimeException e) {
            log.error("Scoring after the resolution poll failed", e);
        }
        return new PollResult(true, polled, changed, failed, remaining);
    }

    private boolean store(String marketId, ResolutionRules.Verdict verdict) {
        boolean changed = dao.record(new ResolutionDao.Reading(marketId, verdict.state().label(),
                verdict.winner().map(ResolutionRules.Winner::name).orElse(null),
                verdict.winner().map(ResolutionRules.Winner::token).orElse(null), verdict.winnerCount(),
                verdict.settledAt().map(Timestamps::format).orElse(null),
                verdict.closedAt().map(Timestamps::format).orElse(null), verdict.raw(), stamp(), nextCheck()));
        if (changed) {
            log.info("Market {} is now {}{}", marketId, verdict.state().label(),
                    verdict.winner().map(w -> " (" + w.name() + ")").orElse(""));
        }
        return changed;
    }

    private String stamp() {
        return Timestamps.format(clock.instant());
    }

    private String nextCheck() {
        return Timestamps.format(clock.instant().plus(interval));
    }

    private String until() {
        Instant now = clock.instant();
        return Timestamps.format(now.plus(LEASE));
    }
}
