package com.polydebate.debates;

import com.polydebate.config.Config;
import com.polydebate.db.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every debate exactly once on a bounded pool of {@code DEBATE_WORKERS} job threads, independent of any
 * viewer. Model calls, speech requests and result finalisation run on their own pools so a job can pipeline.
 */
final class DebateEngine {
    private static final Logger log = LoggerFactory.getLogger(DebateEngine.class);

    private final Config config;
    private final Clock clock;
    private final DebateStore store;
    private final EventLog events;
    private final OpenRouterChat chat;
    private final ElevenLabsSpeech speech;
    private final AnswerParser parser;
    private final DebateFinalizer finalizer;
    private final DebateHooks hooks;
    private final ThreadPoolExecutor workers;
    private final ExecutorService modelCalls;
    private final ExecutorService speechCalls;
    private final ExecutorService finalizers;
    private final Map<String, DebateControl> controls = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    DebateEngine(Config config, Clock clock, DebateStore store, EventLog events, OpenRouterChat chat,
                 ElevenLabsSpeech speech, AnswerParser parser, DebateFinalizer finalizer, DebateHooks hooks) {
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
        this.modelCalls = Executors.newCachedThreadPool(DaemonThreads.named("debate-model"));
        this.speechCalls = Executors.newCachedThreadPool(DaemonThreads.named("debate-speech"));
        this.finalizers = Executors.newCachedThreadPool(DaemonThreads.named("debate-results"));
    }

    /** Queues the job of a debate; a debate already known to the engine is not queued twice. */
    void enqueue(String debateId, boolean paused) {
        DebateControl control = new DebateControl(paused);
        if (controls.putIfAbsent(debateId, control) == null) {
            workers.execute(new DebateRun(this, debateId, control));
        }
    }

    /**
     * Tells the debate's job what the database now says, after a control change: paused or not, and a job parked
     * while paused is submitted again. The persisted status is read under the debate's emitter lock, which every
     * control change commits under, so whatever order concurrent pauses and resumes finish in, the last
     * reconciliation sees the last committed status and the job ends up agreeing with the database.
     */
    void reconcile(String debateId) {
        events.locked(debateId, tx -> {
            DebateControl control = controls.get(debateId);
            Optional<String> status = tx.status(debateId);
            if (control != null && status.isPresent()) {
                control.setPaused(status.get().equals(DebateRow.PAUSED));
                if (control.unpark()) {
                    workers.execute(new DebateRun(this, debateId, control));
                }
            }
            return null;
        });
    }

    /** Jobs on a worker thread right now (parked paused jobs and queued ones are not counted). */
    int runningJobs() {
        return workers.getActiveCount();
    }

    /** Debates this instance owns a job for: running, queued or parked while paused. */
    int ownedJobs() {
        return controls.size();
    }

    Optional<DebateControl> control(String debateId) {
        return Optional.ofNullable(controls.get(debateId));
    }

    void forget(String debateId, DebateControl control) {
        controls.remove(debateId, control);
    }

    /**
     * Start-up: finishes the event log of debates that reached a terminal status without their terminal event,
     * then gives every unfinished debate a job again (it resumes at its persisted turn cursor).
     */
    void recover() {
        hooks.recoveryStarting();
        for (DebateStore.Unterminated row : store.finishedWithoutTerminalEvent()) {
            String id = row.debateId();
            switch (row.status()) {
                case DebateRow.COMPLETED -> finishCompleted(id, row.rounds(), row.messages(), row.createdAt(),
                        row.completedAt());
                case DebateRow.STOPPED -> events.append(id, new DebateEvent.Stopped(id,
                        row.stoppedBy() == null ? "user" : row.stoppedBy(), row.nextTurn() / Math.max(1, row.models()),
                        row.messages(), Timestamps.format(clock.instant())));
                default -> events.append(id, new DebateEvent.Failed(id, "Interrupted",
                        "The debate could not continue because of an internal error.",
                        Timestamps.format(clock.instant())));
            }
        }
        List<String> unfinished = store.unfinishedDebates();
        for (String id : unfinished) {
            hooks.beforeRecoveryEnqueue(id);
            // The status is read again under the emitter lock: a pause or stop that came in since the list was
            // read is what the job starts from.
            events.locked(id, tx -> {
                tx.status(id).filter(DebateRow.ACTIVE::contains)
                        .ifPresent(status -> enqueue(id, status.equals(DebateRow.PAUSED)));
                return null;
            });
        }
        if (!unfinished.isEmpty()) {
            log.info("Resuming {} unfinished debate(s)", unfinished.size());
        }
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
        });
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** Interrupts every job and call at once without finishing them; their debates resume at the next start. */
    void abandonAll() {
        shuttingDown = true;
        workers.shutdownNow();
        modelCalls.shutdownNow();
        speechCalls.shutdownNow();
        finalizers.shutdownNow();
    }

    /** Orderly shutdown: jobs are interrupted (they resume at the next start), then given a moment to exit. */
    void close() {
        abandonAll();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
