package com.polydebate.debates;

import com.polydebate.config.Config;
import com.polydebate.db.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every debate exactly once on a bounded pool of {@code DEBATE_WORKERS} job threads, independent of any
 * viewer. Model calls ({@code MODEL_CALL_CONCURRENCY} at a time), speech requests and result finalisation run on
 * their own pools so a job can pipeline.
 * Several instances may share the database: an instance runs a debate's job only while it holds the debate's lease
 * (claimed with a conditional UPDATE, renewed every third of its length, released when the job parks or ends), and
 * a scan every second claims runnable debates whose lease is free or expired, so a dead instance's debates continue
 * elsewhere at their persisted turn.
 */
final class DebateEngine {
    private static final Logger log = LoggerFactory.getLogger(DebateEngine.class);
    private static final long TAKE_OVER_POLL_MILLIS = 1000;

    private final Config config;
    private final Clock clock;
    private final DebateStore store;
    private final EventLog events;
    private final OpenRouterChat chat;
    private final ElevenLabsSpeech speech;
    private final AnswerParser parser;
    private final DebateFinalizer finalizer;
    private final DebateHooks hooks;
    private final ModelCallMetrics callMetrics;
    private final ThreadPoolExecutor workers;
    private final ExecutorService modelCalls;
    private final ExecutorService speechCalls;
    private final ExecutorService finalizers;
    private final ScheduledExecutorService leaseTimer;
    /** Sends the coalesced text deltas that are due (issue 15); one thread, its work is a queue offer per viewer. */
    private final ScheduledExecutorService deltaTimer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("debate-deltas"));
    private final DebateLease lease;
    private final AtomicLong leaseTakeOvers = new AtomicLong();
    private final Map<String, DebateControl> controls = new ConcurrentHashMap<>();
    /** Debates whose lease this instance holds: for a job (queued, running) or for a terminal-event repair. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    DebateEngine(Config config, Clock clock, DebateStore store, EventLog events, OpenRouterChat chat,
                 ElevenLabsSpeech speech, AnswerParser parser, DebateFinalizer finalizer, DebateHooks hooks,
                 ModelCallMetrics callMetrics) {
        this.callMetrics = callMetrics;
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.events = events;
        this.chat = chat;
        this.speech = speech;
        this.parser = parser;
        this.finalizer = finalizer;
        this.hooks = hooks;
        this.workers = new ThreadPoolExecutor(config.debateWorkers(), config.debateWorkers(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named("debate-job"));
        // A job has at most one call in flight, or one per model in a blind first round; this bound holds across all
        // the instance's debates, so that many debates starting together queue their calls instead of firing them
        // all upstream at once. Idle threads end after a minute.
        ThreadPoolExecutor calls = new ThreadPoolExecutor(config.modelCallConcurrency(),
                config.modelCallConcurrency(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("debate-model"));
        calls.allowCoreThreadTimeOut(true);
        this.modelCalls = calls;
        this.speechCalls = Executors.newCachedThreadPool(DaemonThreads.named("debate-speech"));
        this.finalizers = Executors.newCachedThreadPool(DaemonThreads.named("debate-results"));
        this.lease = new DebateLease(config.instanceId(), clock, Duration.ofSeconds(config.debateLeaseSeconds()));
        // A thread each for the renewals, the repair scan and the take-over scan, so that a slow scan never delays
        // the renewals that keep this instance's leases alive.
        this.leaseTimer = Executors.newScheduledThreadPool(3, DaemonThreads.named("debate-lease"));
        long renewMillis = Math.max(200, lease.length().toMillis() / 3);
        leaseTimer.scheduleWithFixedDelay(this::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Claims the debate's lease and queues its job; false when the debate already has a job here, is not runnable
     * (paused or finished) or another instance holds it.
     */
    boolean enqueue(String debateId, boolean paused) {
        return enqueue(debateId, paused, null);
    }

    /**
     * Claims a debate just stored by this instance's start request and queues its job with the row, so that the
     * job's first requests need no read of what the request has just written.
     */
    boolean enqueueNew(DebateRow debate) {
        return enqueue(debate.debateId(), false, debate);
    }

    private boolean enqueue(String debateId, boolean paused, DebateRow stored) {
        DebateControl control = new DebateControl(paused);
        if (controls.putIfAbsent(debateId, control) != null) {
            return false;
        }
        if (shuttingDown || !store.claimLease(debateId, lease.me(), lease.now(), lease.until())) {
            controls.remove(debateId, control);
            return false;
        }
        held.add(debateId);
        workers.execute(new DebateRun(this, debateId, control, stored));
        return true;
    }

    /**
     * Tells the debate's job what the database now says, after a control change on this instance (the fast path;
     * jobs also re-read the status themselves, for controls sent to other instances). The persisted status is
     * read under the debate's emitter lock, which every control change commits under, so whatever order
     * concurrent pauses and resumes finish in, the last reconciliation sees the last committed status. A runnable
     * debate without a job here (parked while paused, or never run here) is claimed at once.
     */
    void reconcile(String debateId) {
        boolean runnable = events.locked(debateId, tx -> {
            DebateControl control = controls.get(debateId);
            Optional<String> status = tx.status(debateId);
            if (control != null && status.isPresent()) {
                control.setPaused(status.get().equals(DebateRow.PAUSED));
            }
            return control == null && status.filter(s -> DebateRow.ACTIVE.contains(s) && !s.equals(DebateRow.PAUSED))
                    .isPresent();
        });
        if (runnable) {
            enqueue(debateId, false);
        }
    }

    /** Wakes this instance's job of the debate, if any, to re-read its status (another instance announced a change). */
    void wake(String debateId) {
        DebateControl control = controls.get(debateId);
        if (control != null) {
            control.signal();
        }
    }

    /**
     * Parks a paused job with nothing left to emit: its lease is released (only while the debate is still paused
     * in the database, so a resume committed meanwhile keeps the job running) and its control forgotten, both under
     * the emitter lock that {@link #reconcile} holds, so a resume either reaches the running job or finds no job and
     * claims the debate afresh.
     */
    boolean park(String debateId, DebateControl control) {
        try {
            return events.locked(debateId, tx -> {
                if (!tx.releasePausedLease(debateId, lease.me())) {
                    return false;
                }
                if (!control.park()) {
                    throw new NotParked();
                }
                held.remove(debateId);
                forget(debateId, control);
                return true;
            });
        } catch (NotParked e) {
            return false;
        }
    }

    /** Rolls the lease release back when the job must keep running after all (a stop came in). */
    private static final class NotParked extends RuntimeException {
        NotParked() {
            super(null, null, false, false);
        }
    }

    /** True when another live instance holds the debate's lease, so its job there will see a stop and end it. */
    boolean runningElsewhere(String debateId) {
        return store.leaseHeldElsewhere(debateId, lease.me(), lease.now());
    }

    void release(String debateId) {
        held.remove(debateId);
        store.releaseLease(debateId, lease.me());
    }

    /** Keeps this instance's leases alive; a lease found taken is dropped (its job notices at its next step). */
    private void renewLeases() {
        for (String id : held) {
            try {
                if (!store.renewLease(id, lease.me(), lease.until())) {
                    held.remove(id);
                    log.warn("Lease of debate {} was taken over by another instance", id);
                }
            } catch (RuntimeException e) {
                log.warn("Could not renew the lease of debate {}", id, e);
            }
        }
    }

    DebateLease lease() {
        return lease;
    }

    /** Jobs on a worker thread right now (parked paused jobs and queued ones are not counted). */
    int runningJobs() {
        return workers.getActiveCount();
    }

    /** Debates this instance owns a job for: running, queued or parked while paused. */
    int ownedJobs() {
        return controls.size();
    }

    long leaseTakeOvers() {
        return leaseTakeOvers.get();
    }

    Optional<DebateControl> control(String debateId) {
        return Optional.ofNullable(controls.get(debateId));
    }

    void forget(String debateId, DebateControl control) {
        controls.remove(debateId, control);
    }

    /**
     * Start-up: one scan at once. Then terminal-event repairs run every half lease, and take-overs at least every
     * {@value #TAKE_OVER_POLL_MILLIS} ms whatever the lease length, so that a dead instance's debate continues within
     * about a second of its lease expiring (polling every half lease added up to half a lease more: 7.5 s with the
     * default 15 s lease, docs/benchmarks.md). The take-over query reads only runnable debates, the repair query every
     * finished one. With several instances starting together, each debate is claimed (and run) by one of them.
     */
    void recover() {
        hooks.recoveryStarting();
        repair();
        int resumed = claimRunnable(true);
        if (resumed > 0) {
            log.info("Resuming {} unfinished debate(s)", resumed);
        }
        long repairMillis = Math.max(250, lease.length().toMillis() / 2);
        leaseTimer.scheduleWithFixedDelay(() -> {
            try {
                repair();
            } catch (RuntimeException e) {
                log.warn("Debate repair scan failed", e);
            }
        }, repairMillis, repairMillis, TimeUnit.MILLISECONDS);
        long claimMillis = Math.max(250, Math.min(lease.length().toMillis() / 2, TAKE_OVER_POLL_MILLIS));
        leaseTimer.scheduleWithFixedDelay(() -> {
            try {
                int taken = claimRunnable(false);
                leaseTakeOvers.addAndGet(taken);
                if (taken > 0) {
                    log.info("Took over {} debate(s) whose lease was free or expired", taken);
                }
            } catch (RuntimeException e) {
                log.warn("Debate lease scan failed", e);
            }
        }, claimMillis, claimMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Finishes the event log of debates that reached a terminal status without their terminal event (their job
     * died in between).
     */
    private void repair() {
        for (DebateStore.Unterminated row : store.finishedWithoutTerminalEvent(lease.me(), lease.now())) {
            String id = row.debateId();
            if (held.contains(id) || !store.claimRepairLease(id, lease.me(), lease.now(), lease.until())) {
                continue;
            }
            held.add(id);
            switch (row.status()) {
                case DebateRow.COMPLETED -> finishCompleted(id, row.rounds(), row.messages(), row.createdAt(),
                        row.completedAt());
                case DebateRow.STOPPED -> {
                    events.append(id, new DebateEvent.Stopped(id, row.stoppedBy() == null ? "user" : row.stoppedBy(),
                            row.nextTurn() / Math.max(1, row.models()), row.messages(),
                            Timestamps.format(clock.instant())));
                    release(id);
                }
                default -> {
                    events.append(id, new DebateEvent.Failed(id, "Interrupted",
                            "The debate could not continue because of an internal error.",
                            Timestamps.format(clock.instant())));
                    release(id);
                }
            }
        }
    }

    /**
     * Claims every runnable debate whose lease is free or expired; it resumes at its persisted turn cursor. Answers
     * how many debates were claimed.
     */
    private int claimRunnable(boolean startUp) {
        int claimed = 0;
        for (String id : store.claimable(lease.me(), lease.now())) {
            if (controls.containsKey(id)) {
                continue;
            }
            if (startUp) {
                hooks.beforeRecoveryEnqueue(id);
            }
            // The claim is conditional on the status: a pause or stop that came in since the list was read wins.
            if (enqueue(id, false)) {
                claimed++;
            }
        }
        return claimed;
    }

    /**
     * The process died between persisting {@code completed} and emitting {@code debate_complete}: as in the
     * normal completion (§11.12), the results are stored first (bounded) so that a client fetching the debate on
     * {@code debate_complete} finds them, then the event goes out with its full data.
     */
    private void finishCompleted(String id, int rounds, int messages, String createdAt, String completedAt) {
        finalizers.execute(() -> {
            Future<?> results = finalizers.submit(() -> finalizer.finalizeResults(id));
            try {
                results.get(config.geminiTimeoutSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                results.cancel(true);
                log.warn("Results of recovered debate {} not stored within {} s", id, config.geminiTimeoutSeconds());
            } catch (ExecutionException e) {
                log.error("Results of recovered debate {} could not be stored", id, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long duration = completedAt == null ? 0
                    : Duration.between(Timestamps.parse(createdAt), Timestamps.parse(completedAt)).toSeconds();
            events.append(id, new DebateEvent.Completed(id, rounds, messages, duration,
                    Timestamps.format(clock.instant())));
            release(id);
        });
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * Interrupts every job and call at once without finishing them, as a crash would: their leases are kept until
     * they expire, then the debates resume elsewhere (or here at the next start under the same instance id).
     */
    void abandonAll() {
        shuttingDown = true;
        leaseTimer.shutdownNow();
        deltaTimer.shutdownNow();
        workers.shutdownNow();
        modelCalls.shutdownNow();
        speechCalls.shutdownNow();
        finalizers.shutdownNow();
    }

    /**
     * Orderly shutdown: jobs are interrupted, given a moment to exit, and their leases released, so that another
     * instance (or the next start) continues their debates at once.
     */
    void close() {
        abandonAll();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String id : held) {
            try {
                release(id);
            } catch (RuntimeException e) {
                log.warn("Could not release the lease of debate {}", id, e);
            }
        }
    }

    Config config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    DebateStore store() {
        return store;
    }

    ModelCallMetrics callMetrics() {
        return callMetrics;
    }

    ScheduledExecutorService deltaTimer() {
        return deltaTimer;
    }

    EventLog events() {
        return events;
    }

    OpenRouterChat chat() {
        return chat;
    }

    ElevenLabsSpeech speech() {
        return speech;
    }

    AnswerParser parser() {
        return parser;
    }

    DebateFinalizer finalizer() {
        return finalizer;
    }

    DebateHooks hooks() {
        return hooks;
    }

    ExecutorService modelCalls() {
        return modelCalls;
    }

    ExecutorService speechCalls() {
        return speechCalls;
    }

    ExecutorService finalizers() {
        return finalizers;
    }
}
