package com.polydebate.debates;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One SSE connection: writes the stored events after its cursor, then live ones from a bounded queue, on its lane
 * ({@link StreamLanes}) and without blocking. Frames are shared: the hub serialises an event once ({@link EventFrame})
 * and each viewer writes its own view of the same bytes. Overflowing the queue drops the viewer (its connection is
 * closed at once; the client resumes with Last-Event-ID), so a client that stops reading never holds the others
 * back. Text deltas ({@link DeltaFrame}) share the queue, so they keep their place among the events; consecutive
 * deltas of one turn are written as one, and a delta is written only between its turn's {@code model_thinking} and
 * the event that ends the turn here, so that a replayed or late viewer never sees a delta after the turn's message.
 *
 * <p>Threads: {@link #deliver}, {@link #keepAlive}, {@link #writable} and {@link #failed} may come from any thread
 * and only queue work; everything after the comment "lane thread only" runs on the viewer's lane.
 */
final class SseViewer implements EventHub.Subscriber {
    private static final byte[] KEEP_ALIVE = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);

    private final String debateId;
    private final SseConnection connection;
    private final ArrayBlockingQueue<Object> queue;
    private final DebateStore store;
    private final EventHub hub;
    private final StreamLanes.Lane lane;
    private final Consumer<SseViewer> onClose;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean keepAliveDue = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean started;
    private volatile boolean dropped;
    private volatile boolean failed;

    // Lane thread only (and the request thread before start()).
    /** Stored events to write before the queue: the replay, or a gap filled from the log. */
    private final ArrayDeque<StoredEvent> backlog = new ArrayDeque<>();
    private long lastSent;
    /** The seq of the last event written that ended a turn (message, model error) or the debate. */
    private long lastTurnEnd;
    private DeltaFrame deltaTurn;
    private int deltaSent;
    /** The terminal event is written (or the cursor was already past it): close once the write has gone out. */
    private boolean ending;

    SseViewer(String debateId, long cursor, SseConnection connection, int queueCapacity, DebateStore store,
              EventHub hub, StreamLanes.Lane lane, Consumer<SseViewer> onClose) {
        this.debateId = debateId;
        this.lastSent = cursor;
        this.connection = connection;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.store = store;
        this.hub = hub;
        this.lane = lane;
        this.onClose = onClose;
    }

    /** Completes when the connection is finished: terminal event sent, client gone, or dropped as too slow. */
    CompletableFuture<Void> done() {
        return done;
    }

    boolean closed() {
        return closed.get();
    }

    /**
     * Hands over the stored events read after subscribing (live ones published meanwhile wait in the queue, and
     * any seq already written is skipped) and starts writing. Called once, on the request's thread.
     */
    void start(List<StoredEvent> replay) {
        backlog.addAll(replay);
        started = true;
        connection.start(this);
        schedule();
    }

    @Override
    public void deliver(EventFrame frame) {
        offer(frame);
    }

    @Override
    public void deliverDelta(DeltaFrame frame) {
        offer(frame);
    }

    private void offer(Object item) {
        if (closed.get() || dropped) {
            return;
        }
        if (!queue.offer(item)) {
            dropped = true;
            hub.unsubscribe(debateId, this);
            connection.abort();
        }
        schedule();
    }

    void keepAlive() {
        keepAliveDue.set(true);
        schedule();
    }

    /** The connection can take bytes again. */
    void writable() {
        schedule();
    }

    /** The connection failed (client gone, write error, idle timeout). */
    void failed() {
        failed = true;
        schedule();
    }

    private void schedule() {
        if (started && !closed.get() && scheduled.compareAndSet(false, true)) {
            lane.submit(this);
        }
    }

    // Lane thread only from here on.

    void drain() {
        scheduled.set(false);
        if (closed.get()) {
            return;
        }
        if (dropped || failed) {
            finish();
            return;
        }
        try {
            while (true) {
                if (ending) {
                    // Finished only once the last write has gone out (ready again), never with one pending.
                    if (connection.ready()) {
                        finish();
                    }
                    return;
                }
                if (!connection.ready()) {
                    return;
                }
                ByteBuffer frame = next();
                if (frame == null) {
                    if (ending) {
                        continue;
                    }
                    return;
                }
                connection.write(frame);
            }
        } catch (IOException | RuntimeException e) {
            finish();
        }
    }

    /** The next frame to write, or null when there is none now (or the stream is ending). */
    private ByteBuffer next() {
        while (!ending) {
            StoredEvent stored = backlog.poll();
            if (stored != null) {
                ByteBuffer frame = event(stored, null);
                if (frame != null) {
                    return frame;
                }
                continue;
            }
            Object item = queue.poll();
            if (item == null) {
                return keepAliveDue.getAndSet(false) ? ByteBuffer.wrap(KEEP_ALIVE) : null;
            }
            if (item instanceof DeltaFrame delta) {
                if (!(queue.peek() instanceof DeltaFrame later && later.sameTurnAndAttempt(delta))) {
                    ByteBuffer frame = delta(delta);
                    if (frame != null) {
                        return frame;
                    }
                }
                continue;
            }
            EventFrame live = (EventFrame) item;
            if (live.event().seq() > lastSent + 1) {
                // Events written on several instances reach this one out of order: the log fills the gap.
                backlog.addAll(live.eventsAfter(lastSent, after -> store.eventsAfter(debateId, after)));
                continue;
            }
            ByteBuffer frame = event(live.event(), live);
            if (frame != null) {
                return frame;
            }
        }
        return null;
    }

    /** The frame of a stored event not written yet (the shared one when given), else null. */
    private ByteBuffer event(StoredEvent event, EventFrame shared) {
        if (event.seq() <= lastSent) {
            if (event.terminal()) {
                // A cursor already past the end (§10.2): the debate is over, so the stream ends too.
                ending = true;
            }
            return null;
        }
        lastSent = event.seq();
        if (event.terminal() || event.event().equals("message") || event.event().equals("debate_error")) {
            lastTurnEnd = event.seq();
        }
        ending = event.terminal();
        return ByteBuffer.wrap((shared != null ? shared : EventFrame.of(event)).wire());
    }

    private ByteBuffer delta(DeltaFrame frame) {
        if (frame.thinkingSeq() > lastSent || frame.thinkingSeq() <= lastTurnEnd) {
            return null;
        }
        if (deltaTurn == null || !deltaTurn.sameTurnAndAttempt(frame)) {
            deltaTurn = frame;
            deltaSent = 0;
        }
        if (frame.text().length() <= deltaSent) {
            return null;
        }
        ByteBuffer wire = ByteBuffer.wrap(frame.wire(deltaSent));
        deltaSent = frame.text().length();
        return wire;
    }

    private void finish() {
        if (closed.compareAndSet(false, true)) {
            hub.unsubscribe(debateId, this);
            onClose.accept(this);
            lane.finished(done);
        }
    }
}
