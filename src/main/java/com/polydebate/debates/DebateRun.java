package com.polydebate.debates;

import com.polydebate.db.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One debate's job (§11.2): turns in order, each model call started as soon as the previous turn's text is ready while
 * that message's speech is still being generated (§11.9). With an independent first round (issue 14) the remaining
 * round-1 turns are asked together, each without the others' answers, as one step; pause is checked between steps, so
 * the round-1 turns already asked still finish (their answers are paid for) before the job parks, while stop drops
 * every turn from the first unanswered one. Outcomes are emitted strictly in turn order from this one thread, whatever
 * order the answers arrive in; each is committed with its message and the turn cursor before it is published, so a job
 * resumed elsewhere re-asks exactly the turns that were not emitted. Every write is fenced by the debate's lease: once
 * another instance has taken the debate over, the job writes nothing more and exits.
 */
final class DebateRun implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DebateRun.class);
    private static final int MAX_SPEECH_PER_DEBATE = 2;
    private static final long WAKE_UP_MILLIS = 500;

    private final DebateEngine engine;
    private final String debateId;
    private final DebateControl control;
    private final Deque<Slot> pending = new ArrayDeque<>();
    private final LiveText liveText;
    private DebateRow debate;
    private List<StoredOutcome> prompted;
    private List<String> promptedNames;
    private List<ContextMessage> context;
    private int messagesEmitted;
    private int turnsEmitted;

    /** One turn on its way to the wire. */
    private static final class Slot {
        final int turn;
        final int round;
        final int position;
        final DebateModel model;
        final Instant thinkingAt;
        boolean thinkingEmitted;
        String messageId;
        String text;
        Map<String, Double> predictions;
        long tokens;
        Instant textAt;
        Future<OpenRouterChat.ChatResult> call;
        LiveText.Turn live;
        final ModelCallLog log = new ModelCallLog();
        CompletableFuture<Speech> speech;
        Speech forcedSpeech;
        ModelCallException error;

        Slot(int turn, int round, int position, DebateModel model, Instant thinkingAt) {
            this.turn = turn;
            this.round = round;
            this.position = position;
            this.model = model;
            this.thinkingAt = thinkingAt;
        }

        boolean hasText() {
            return text != null;
        }

        /** The model call ended and was read: a text or an error. */
        boolean answered() {
            return text != null || error != null;
        }

        void cancel() {
            if (call != null) {
                call.cancel(true);
            }
            if (speech != null) {
                speech.cancel(true);
            }
        }

        boolean resolved() {
            return error != null || forcedSpeech != null || (speech != null && speech.isDone());
        }

        Speech speechResult() {
            if (forcedSpeech != null) {
                return forcedSpeech;
            }
            try {
                return speech.join();
            } catch (RuntimeException e) {
                return Speech.failed("Audio generation failed");
            }
        }
    }

    /** {@code stored}: the debate as its start request has just stored it, or null to read it. */
    DebateRun(DebateEngine engine, String debateId, DebateControl control, DebateRow stored) {
        this.engine = engine;
        this.debateId = debateId;
        this.control = control;
        this.debate = stored;
        this.liveText = new LiveText(engine.events(), engine.deltaTimer(), debateId);
    }

    /** Thrown to leave the job while it is paused with nothing to emit; resume submits it again. */
    private static final class Parked extends RuntimeException {
        Parked() {
            super(null, null, false, false);
        }
    }

    @Override
    public void run() {
        if (!control.begin()) {
            engine.release(debateId);
            return;
        }
        boolean parked = false;
        try {
            execute();
        } catch (Parked p) {
            parked = true;
            engine.hooks().jobParked(debateId);
        } catch (DebateLease.Lost e) {
            log.info("Debate {} continues on another instance; this job leaves it", debateId);
            engine.hooks().leaseLost(debateId);
        } catch (InterruptedException e) {
            // Abandoned by an abrupt shutdown: the persisted cursor lets the next start resume this debate.
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (!engine.shuttingDown()) {
                log.error("Debate {} failed", debateId, t);
                fail();
            }
        } finally {
            pending.forEach(Slot::cancel);
            if (!parked) {
                control.finish();
                engine.forget(debateId, control);
                // On shutdown the engine releases every lease itself; after a crash they must stay until they expire.
                if (!engine.shuttingDown()) {
                    engine.release(debateId);
                }
            }
        }
    }

    private void execute() throws InterruptedException {
        if (debate == null) {
            Optional<DebateRow> row = engine.store().find(debateId);
            if (row.isEmpty()) {
                return;
            }
            debate = row.get();
        }
        prompted = OutcomeFilter.apply(debate.outcomes());
        promptedNames = prompted.stream().map(StoredOutcome::name).toList();
        // A message is stored with the turn cursor that passes it, so a debate at turn 0 has none to quote.
        context = debate.nextTurn() == 0 ? new ArrayList<>()
                : new ArrayList<>(engine.store().contextMessages(debateId));
        messagesEmitted = context.size();
        turnsEmitted = debate.nextTurn();
        if (!debate.active()) {
            // Stopped on another instance after this one claimed it: nobody else writes the terminal event.
            if (debate.status().equals(DebateRow.STOPPED)) {
                finishStopped();
            }
            return;
        }
        boolean announce = debate.startedAt() == null;
        int turn = debate.nextTurn();
        while (turn < debate.totalTurns()) {
            waitWhilePaused();
            if (control.stopRequested()) {
                break;
            }
            List<Slot> step = startTurns(turn);
            if (announce) {
                // Recorded once the first requests have left, so that its commit is not on the critical path; it is
                // still the first event, since model_thinking is only emitted after it.
                append(List.of(new DebateEvent.Started(debateId, now())),
                        store -> store.markStarted(debateId, now()));
                announce = false;
            }
            if (!awaitAnswers(step)) {
                break;
            }
            // Added in turn order once the whole step is answered, so later prompts quote the debate in order.
            for (Slot slot : step) {
                if (slot.hasText()) {
                    context.add(new ContextMessage(slot.model.modelName(), slot.text, slot.predictions));
                }
            }
            turn += step.size();
        }
        while (!pending.isEmpty() && !control.stopRequested()) {
            pump();
            if (!pending.isEmpty()) {
                control.awaitChange(WAKE_UP_MILLIS);
                // A wake-up that lets the next message leave emits it at once; completion re-checks the status.
                if (!pending.peekFirst().resolved()) {
                    refresh();
                }
            }
        }
        if (control.stopRequested()) {
            flushCancelled();
            finishStopped();
            return;
        }
        complete();
    }

    /** Blocks between turns while paused, still emitting ready messages; parks once nothing is left to emit. */
    private void waitWhilePaused() throws InterruptedException {
        refresh();
        while (control.paused() && !control.stopRequested()) {
            pump();
            if (pending.isEmpty() && engine.park(debateId, control)) {
                throw new Parked();
            }
            control.awaitChange(WAKE_UP_MILLIS);
            refresh();
        }
    }

    /**
     * Re-reads the persisted status, since pause, resume and stop may have been sent to another instance, and
     * leaves at once when another instance holds the lease now.
     */
    private void refresh() {
        long reconciliations = control.reconciliations();
        DebateStore.JobState state = engine.store().jobState(debateId).orElseThrow(() -> new DebateLease.Lost(debateId));
        if (!engine.lease().me().equals(state.leaseOwner())) {
            throw new DebateLease.Lost(debateId);
        }
        control.observe(reconciliations, state.status().equals(DebateRow.PAUSED),
                !DebateRow.ACTIVE.contains(state.status()));
    }

    private void append(DebateEvent event) {
        append(List.of(event), store -> { });
    }

    /** Appends the job's events with {@code work}, in a transaction fenced by the lease. */
    private List<StoredEvent> append(List<? extends DebateEvent> events, Consumer<DebateStore> work) {
        return engine.events().append(debateId, events, store -> {
            engine.lease().fence(store, debateId);
            work.accept(store);
        });
    }

    private <T> T locked(Function<DebateStore, T> work) {
        return engine.events().locked(debateId, store -> {
            engine.lease().fence(store, debateId);
            return work.apply(store);
        });
    }

    /**
     * Starts the model calls of the next step: the turn itself or, in a blind first round, every round-1 turn from
     * it on (after a restart, those not emitted yet), each quoting no earlier message. The requests leave before any
     * database work of earlier turns, keeping emission off the critical path.
     */
    private List<Slot> startTurns(int turn) {
        int models = debate.models().size();
        int round = turn / models + 1;
        boolean blind = debate.blind(round);
        int end = blind ? round * models : turn + 1;
        List<ContextMessage> quoted = blind ? List.of() : List.copyOf(context);
        List<Slot> step = new ArrayList<>();
        for (int t = turn; t < end; t++) {
            Slot slot = new Slot(t, round, t % models, debate.models().get(t % models), engine.clock().instant());
            pending.addLast(slot);
            slot.live = liveText.turn();
            slot.call = startModelCall(slot, blind, quoted);
            step.add(slot);
        }
        return step;
    }

    /**
     * Reads each answer of the step as it arrives (so its speech can start), emitting what can leave meanwhile;
     * false when a stop came first. Once the step is answered it returns at once: the status is read again right
     * before the next step (not here as well), and the answers' speech starts after the next requests have left.
     */
    private boolean awaitAnswers(List<Slot> step) throws InterruptedException {
        pump();
        while (!control.stopRequested()) {
            boolean waiting = false;
            for (Slot slot : step) {
                if (slot.answered()) {
                    continue;
                }
                if (slot.call.isDone()) {
                    resolve(slot);
                } else {
                    waiting = true;
                }
            }
            if (!waiting) {
                return true;
            }
            pump();
            control.awaitChange(WAKE_UP_MILLIS);
            if (!allDone(step)) {
                refresh();
            }
        }
        return false;
    }

    private static boolean allDone(List<Slot> step) {
        return step.stream().allMatch(slot -> slot.answered() || slot.call.isDone());
    }

    private Future<OpenRouterChat.ChatResult> startModelCall(Slot slot, boolean blind, List<ContextMessage> quoted) {
        List<PromptBuilder.ChatMessage> prompt = PromptBuilder.build(debate.question(), debate.description(),
                prompted, slot.round, debate.rounds(), blind, quoted);
        int maxTokens = PromptBuilder.maxTokens(prompted.size());
        // The wake-up must come after the future is complete (done()), or the job could see it still running.
        FutureTask<OpenRouterChat.ChatResult> task = new FutureTask<>(
                () -> engine.chat().complete(slot.model.modelId(), prompt, maxTokens, slot.live, slot.log)) {
            @Override
            protected void done() {
                control.signal();
            }
        };
        engine.modelCalls().execute(task);
        return task;
    }

    private void resolve(Slot slot) throws InterruptedException {
        liveText.end(slot.live);
        try {
            OpenRouterChat.ChatResult result = slot.call.get();
            AnswerParser.Answer answer = engine.parser().parse(result.content());
            slot.log.parseFallback(answer.fallback());
            Optional<String> text = TextCleaner.clean(answer.argument(), result.content());
            if (text.isEmpty()) {
                slot.error = new ModelCallException(ModelCallException.INVALID_RESPONSE, "The answer had no text");
                return;
            }
            slot.messageId = UUID.randomUUID().toString();
            slot.text = text.get();
            slot.predictions = Predictions.normalise(answer.predictions(), promptedNames);
            slot.tokens = result.totalTokens();
            slot.textAt = engine.clock().instant();
        } catch (ExecutionException e) {
            slot.error = e.getCause() instanceof ModelCallException m ? m
                    : new ModelCallException(ModelCallException.ERROR, "Unexpected failure: " + e.getCause());
            if (e.getCause() instanceof InterruptedException && engine.shuttingDown()) {
                throw new InterruptedException("shutting down");
            }
        }
    }

    /** Starts speech for ready texts (at most two at a time) and emits every turn that can leave, in order. */
    private void pump() {
        startSpeech();
        while (!pending.isEmpty()) {
            Slot head = pending.peekFirst();
            if (!head.thinkingEmitted) {
                emitThinking(head);
            }
            if (!head.resolved()) {
                break;
            }
            emitOutcome(head);
            pending.removeFirst();
            startSpeech();
        }
    }

    private void startSpeech() {
        long running = pending.stream().filter(s -> s.speech != null && !s.speech.isDone()).count();
        for (Slot slot : pending) {
            if (running >= MAX_SPEECH_PER_DEBATE) {
                return;
            }
            if (slot.hasText() && slot.speech == null && slot.forcedSpeech == null) {
                slot.speech = CompletableFuture.supplyAsync(
                        () -> engine.speech().speak(slot.messageId, slot.text, slot.position), engine.speechCalls());
                slot.speech.whenComplete((s, e) -> control.signal());
                running++;
            }
        }
    }

    private void emitThinking(Slot slot) {
        List<StoredEvent> thinking = append(List.of(new DebateEvent.ModelThinking(slot.model.modelId(),
                        slot.model.modelName(), slot.round, Timestamps.format(slot.thinkingAt))),
                store -> store.setCurrentRound(debateId, slot.round));
        slot.thinkingEmitted = true;
        if (!thinking.isEmpty() && slot.error == null) {
            liveText.show(slot.live, slot.round, messagesEmitted + 1, slot.model.modelId(),
                    thinking.get(0).seq());
        }
    }

    private void emitOutcome(Slot slot) {
        // The last delta leaves before the message that settles the turn.
        liveText.end(slot.live);
        List<DebateEvent> events = new ArrayList<>();
        MessageView message = null;
        if (slot.error != null) {
            events.add(new DebateEvent.ModelFailed(slot.model.modelId(), slot.model.modelName(), slot.round,
                    slot.error.getMessage(), userMessage(slot), slot.error.errorType(), now()));
        } else {
            Speech speech = slot.speechResult();
            message = new MessageView(slot.messageId, slot.round, messagesEmitted + 1, slot.model.modelId(),
                    slot.model.modelName(), messageType(slot.round), slot.text, slot.predictions, speech.audioUrl(),
                    speech.audioDuration(), speech.audioError(), Timestamps.format(slot.textAt));
            events.add(new DebateEvent.MessageSent(message));
        }
        boolean roundEnd = slot.position == debate.models().size() - 1 && slot.round < debate.rounds();
        int messagesAfter = messagesEmitted + (message == null ? 0 : 1);
        if (roundEnd) {
            events.add(new DebateEvent.RoundComplete(slot.round, slot.round + 1, messagesAfter, now()));
        }
        MessageView stored = message;
        DebateStore.TraceRow trace = ModelCallTraces.row(debateId, slot.turn, slot.round, slot.model.modelId(),
                slot.messageId, slot.error, slot.log, now());
        append(events, store -> {
            if (stored != null) {
                store.insertMessage(debateId, stored, slot.turn, slot.tokens);
            } else if (trace.totalTokens() != null) {
                store.addTokens(debateId, trace.totalTokens());
            }
            if (slot.log.request() != null) {
                store.insertTrace(trace);
            }
            store.setNextTurn(debateId, slot.turn + 1);
        });
        if (slot.error == null) {
            reportSpeed(slot);
        }
        messagesEmitted = messagesAfter;
        turnsEmitted = slot.turn + 1;
    }

    private void reportSpeed(Slot slot) {
        List<ModelCallLog.Attempt> attempts = slot.log.attempts();
        if (attempts.isEmpty()) {
            return;
        }
        ModelCallLog.Attempt answering = attempts.get(attempts.size() - 1);
        Long first = answering.firstTokenMillis();
        engine.callMetrics().answered(slot.model.modelId(), first, slot.log.usage().completionTokens(),
                answering.latencyMillis() - (first == null ? 0 : first));
    }

    private String messageType(int round) {
        if (round == 1) {
            return "initial";
        }
        return round == debate.rounds() ? "final" : "debate";
    }

    private String userMessage(Slot slot) {
        String name = slot.model.modelName();
        return switch (slot.error.errorType()) {
            case ModelCallException.RATE_LIMIT -> name + " is being rate-limited upstream; the other models carry on.";
            case ModelCallException.TIMEOUT -> name + " gave no answer within "
                    + engine.config().modelTimeoutSeconds() + " s; the other models carry on.";
            case ModelCallException.INVALID_RESPONSE -> name + " sent back an empty answer; the other models carry on.";
            default -> name + " failed: " + slot.error.getMessage();
        };
    }

    /**
     * On stop: texts whose audio is still pending leave at once without audio; turns in flight are dropped, and so
     * is every turn after the first of them (answered or not), so that the transcript skips no turn.
     */
    private void flushCancelled() {
        boolean dropping = false;
        for (Iterator<Slot> it = pending.iterator(); it.hasNext(); ) {
            Slot slot = it.next();
            dropping |= !slot.answered();
            if (dropping) {
                liveText.drop(slot.live);
                slot.cancel();
                it.remove();
            }
        }
        for (Slot slot : pending) {
            if (slot.hasText() && (slot.speech == null || !slot.speech.isDone())) {
                if (slot.speech != null) {
                    slot.speech.cancel(true);
                }
                slot.forcedSpeech = Speech.failed(Speech.CANCELLED);
            }
        }
        pump();
    }

    private void finishStopped() {
        String stoppedBy = engine.store().stoppedBy(debateId).orElse("user");
        append(new DebateEvent.Stopped(debateId, stoppedBy,
                turnsEmitted / Math.max(1, debate.models().size()), messagesEmitted, now()));
    }

    private void complete() throws InterruptedException {
        if (messagesEmitted == 0) {
            boolean failed = locked(
                    store -> store.finish(debateId, DebateRow.FAILED, now()));
            if (!failed) {
                finishStopped();
                return;
            }
            append(fatal("No model produced a message",
                    "No model produced a message. Check the model selection and OpenRouter status."));
            return;
        }
        String completedAt = now();
        boolean completed = locked(
                store -> store.finish(debateId, DebateRow.COMPLETED, completedAt));
        if (!completed) {
            finishStopped();
            return;
        }
        Future<?> results = engine.finalizers().submit(() -> engine.finalizer().finalizeResults(debateId));
        try {
            results.get(engine.config().geminiTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            results.cancel(true);
            log.warn("Results of debate {} not stored within {} s", debateId, engine.config().geminiTimeoutSeconds());
        } catch (ExecutionException e) {
            log.error("Results of debate {} could not be stored", debateId, e.getCause());
        }
        long duration = Duration.between(Timestamps.parse(debate.createdAt()), Timestamps.parse(completedAt)).toSeconds();
        append(new DebateEvent.Completed(debateId, debate.rounds(), messagesEmitted,
                duration, now()));
    }

    private void fail() {
        try {
            boolean failed = locked(
                    store -> store.finish(debateId, DebateRow.FAILED, now()));
            if (failed) {
                append(fatal("Internal error",
                        "The debate could not continue because of an internal error."));
            } else if (debate != null && control.stopRequested()) {
                finishStopped();
            }
        } catch (DebateLease.Lost e) {
            log.info("Debate {} failed here but continues on another instance", debateId);
        } catch (RuntimeException e) {
            log.error("Could not record the failure of debate {}", debateId, e);
        }
    }

    private DebateEvent fatal(String error, String message) {
        return new DebateEvent.Failed(debateId, error, message, now());
    }

    private String now() {
        return Timestamps.format(engine.clock().instant());
    }

}
