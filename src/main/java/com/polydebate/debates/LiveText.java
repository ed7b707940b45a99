package com.polydebate.debates;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code message_delta} events of one debate (issue 15): the argument text of the turn on the wire, published
 * as it streams in and coalesced to at most one event per {@link #MIN_GAP_NANOS} (20 a second) per debate.
 *
 * <p>Only the turn whose {@code model_thinking} is the latest on the wire is shown. With an independent first round
 * the later round-1 models stream while an earlier turn is still shown: their text is kept and leaves as the first
 * delta (offset 0) as soon as their own turn comes up, so deltas never run ahead of the turn order viewers see.
 * A call retried after its stream broke restarts its text at offset 0. Deltas reach the viewers of this instance
 * only (the job's); viewers on other instances get the {@code message} event alone.
 */
final class LiveText {
    static final long MIN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** A turn's streamed answer; it is also the model call's listener, fed on the call's thread. */
    final class Turn implements OpenRouterChat.StreamListener {
        private ArgumentStream argument = new ArgumentStream();
        private int attempt = 1;

        @Override
        public void attemptStarted(int number) {
            synchronized (LiveText.this) {
                attempt = number;
                argument = new ArgumentStream();
            }
        }

        @Override
        public void content(String fragment) {
            synchronized (LiveText.this) {
                argument.feed(fragment);
                if (shown == this) {
                    due();
                }
            }
        }

        /** The text so far, without a trailing half of a surrogate pair. */
        private String visible() {
            CharSequence text = argument.text();
            int end = text.length();
            if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            return text.subSequence(0, end).toString();
        }
    }

    private final EventLog events;
    private final ScheduledExecutorService timer;
    private final String debateId;
    private Turn shown;
    private int round;
    private int sequence;
    private String modelId;
    private long thinkingSeq;
    private int shownAttempt;
    private int sent;
    private long lastSentNanos = System.nanoTime() - MIN_GAP_NANOS;
    private boolean flushScheduled;

    LiveText(EventLog events, ScheduledExecutorService timer, String debateId) {
        this.events = events;
        this.timer = timer;
        this.debateId = debateId;
    }

    Turn turn() {
        return new Turn();
    }

    /** The turn is on the wire now ({@code model_thinking} at {@code thinkingSeq}); its text so far leaves at once. */
    synchronized void show(Turn turn, int round, int sequence, String modelId, long thinkingSeq) {
        this.shown = turn;
        this.round = round;
        this.sequence = sequence;
        this.modelId = modelId;
        this.thinkingSeq = thinkingSeq;
        this.shownAttempt = turn.attempt;
        this.sent = 0;
        due();
    }

    /**
     * The turn's call has ended: whatever text is left goes out now, before the turn's {@code message} is appended,
     * and the turn is shown no more.
     */
    synchronized void end(Turn turn) {
        if (shown == turn) {
            flush();
            shown = null;
        }
    }

    /** Drops the turn without sending more (a stopped debate). */
    synchronized void drop(Turn turn) {
        if (shown == turn) {
            shown = null;
        }
    }

    private void due() {
        long wait = lastSentNanos + MIN_GAP_NANOS - System.nanoTime();
        if (wait <= 0) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            try {
                timer.schedule(this::scheduledFlush, wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                flushScheduled = false;
            }
        }
    }

    private synchronized void scheduledFlush() {
        flushScheduled = false;
        flush();
    }

    private void flush() {
        if (shown == null) {
            return;
        }
        if (shown.attempt != shownAttempt) {
            shownAttempt = shown.attempt;
            sent = 0;
        }
        String text = shown.visible();
        if (text.length() <= sent) {
            return;
        }
        events.publishDelta(debateId, round, sequence, modelId, thinkingSeq, shownAttempt, text, sent);
        sent = text.length();
        lastSentNanos = System.nanoTime();
    }
}
