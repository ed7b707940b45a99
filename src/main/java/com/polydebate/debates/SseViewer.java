package com.polydebate.debates;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One SSE connection: replays the log after its cursor, then writes live events from a bounded queue on the shared
 * writer pool. Overflowing the queue closes the connection (the client resumes with Last-Event-ID). Text deltas
 * ({@link DeltaFrame}) share the queue, so they keep their place among the events; consecutive deltas of one turn
 * are written as one, and a delta is written only between its turn's {@code model_thinking} and the event that ends
 * the turn here, so that a replayed or late viewer never sees a delta after the turn's message.
 */
final class SseViewer implements EventHub.Subscriber {
    private final String debateId;
    private final OutputStream out;
    private final ArrayBlockingQueue<Object> queue;
    private final DebateStore store;
    private final EventHub hub;
    private final Executor writers;
    private final Consumer<SseViewer> onClose;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean keepAliveDue = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean closed;
    private boolean replayed;
    private long lastSent;
    /** The seq of the last event written that ended a turn (message, model error) or the debate. */
    private long lastTurnEnd;
    private DeltaFrame deltaTurn;
    private int deltaSent;

    SseViewer(String debateId, long cursor, OutputStream out, int queueCapacity, DebateStore store, EventHub hub,
              Executor writers, Consumer<SseViewer> onClose) {
        this.debateId = debateId;
        this.lastSent = cursor;
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.store = store;
        this.hub = hub;
        this.writers = writers;
        this.onClose = onClose;
    }

    /** Completes when the connection is finished: terminal event sent, client gone, or dropped as too slow. */
    CompletableFuture<Void> done() {
        return done;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void deliver(StoredEvent event) {
        if (closed) {
            return;
        }
        if (!queue.offer(event)) {
            close();
            return;
        }
        schedule();
    }

    @Override
    public void deliverDelta(DeltaFrame frame) {
        if (closed) {
            return;
        }
        if (!queue.offer(frame)) {
            close();
            return;
        }
        schedule();
    }

    void keepAlive() {
        keepAliveDue.set(true);
        schedule();
    }

    void schedule() {
        if (!closed && scheduled.compareAndSet(false, true)) {
            writers.execute(this::drain);
        }
    }

    private void drain() {
        do {
            write();
            scheduled.set(false);
        } while (!closed && (!queue.isEmpty() || keepAliveDue.get()) && scheduled.compareAndSet(false, true));
    }

    private synchronized void write() {
        if (closed) {
            return;
        }
        try {
            if (!replayed) {
                replayed = true;
                for (StoredEvent event : store.eventsAfter(debateId, lastSent)) {
                    if (send(event)) {
                        return;
                    }
                }
            }
            Object item;
            while ((item = queue.poll()) != null) {
                if (item instanceof DeltaFrame frame) {
                    if (!(queue.peek() instanceof DeltaFrame next && next.sameTurnAndAttempt(frame))) {
                        writeDelta(frame);
                    }
                    continue;
                }
                StoredEvent event = (StoredEvent) item;
                if (event.seq() > lastSent + 1) {
                    // Events written on several instances reach this one out of order: the log fills the gap.
                    for (StoredEvent missed : store.eventsAfter(debateId, lastSent)) {
                        if (send(missed)) {
                            return;
                        }
                    }
                } else if (event.seq() > lastSent) {
                    if (send(event)) {
                        return;
                    }
                } else if (event.terminal()) {
                    // A cursor already past the end (§10.2): the debate is over, so the stream ends too.
                    out.flush();
                    close();
                    return;
                }
            }
            if (keepAliveDue.getAndSet(false)) {
                out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    private void writeDelta(DeltaFrame frame) throws IOException {
        if (frame.thinkingSeq() > lastSent || frame.thinkingSeq() <= lastTurnEnd) {
            return;
        }
        if (deltaTurn == null || !deltaTurn.sameTurnAndAttempt(frame)) {
            deltaTurn = frame;
            deltaSent = 0;
        }
        if (frame.text().length() <= deltaSent) {
            return;
        }
        out.write(frame.wire(deltaSent));
        deltaSent = frame.text().length();
    }

    /** Writes one event; true when it was the terminal one and the stream is now closed. */
    private boolean send(StoredEvent event) throws IOException {
        String frame = "id: " + event.seq() + "\nevent: " + event.event() + "\ndata: " + event.data() + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        lastSent = event.seq();
        if (event.terminal() || event.event().equals("message") || event.event().equals("debate_error")) {
            lastTurnEnd = event.seq();
        }
        if (event.terminal()) {
            out.flush();
            close();
            return true;
        }
        return false;
    }

    private void close() {
        closed = true;
        hub.unsubscribe(debateId, this);
        onClose.accept(this);
        done.complete(null);
    }
}
