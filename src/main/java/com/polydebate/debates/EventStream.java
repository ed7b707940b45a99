package com.polydebate.debates;

import com.polydebate.http.ApiException;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/debate/{id}/stream} (§10): a subscription to the debate's event log. Subscribes first, replays
 * the stored events after the cursor, then forwards live ones, skipping any seq already sent. Each viewer has a
 * bounded queue drained by a small shared writer pool; a viewer that falls too far behind is disconnected (it
 * reconnects with Last-Event-ID) instead of holding memory or the debate back.
 */
final class EventStream {
    static final int VIEWER_QUEUE = 512;

    private final DebateStore store;
    private final EventHub hub;
    private final ExecutorService writers;
    private final Set<Viewer> viewers = ConcurrentHashMap.newKeySet();

    EventStream(DebateStore store, EventHub hub, ExecutorService writers, ScheduledExecutorService timer,
                Duration keepAlive) {
        this.store = store;
        this.hub = hub;
        this.writers = writers;
        timer.scheduleAtFixedRate(() -> viewers.forEach(Viewer::keepAlive), keepAlive.toMillis(),
                keepAlive.toMillis(), TimeUnit.MILLISECONDS);
    }

    void handle(Context ctx) throws IOException {
        String debateId = ctx.pathParam("debate_id");
        store.find(debateId).filter(d -> !d.deleted())
                .orElseThrow(() -> ApiException.notFound("debate_not_found", "Debate not found"));
        long cursor = cursor(ctx);
        Optional<StoredEvent> last = store.lastEvent(debateId);
        if (last.isPresent() && last.get().terminal() && cursor >= last.get().seq()) {
            ctx.status(204);
            return;
        }
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setHeader("Content-Type", "text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("Connection", "keep-alive");
        response.setHeader("X-Accel-Buffering", "no");
        ServletOutputStream out = response.getOutputStream();
        out.write("retry: 3000\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Viewer viewer = new Viewer(debateId, cursor, out);
        ctx.future(() -> viewer.done);
        viewers.add(viewer);
        hub.subscribe(debateId, viewer);
        viewer.schedule();
    }

    int viewerCount() {
        return viewers.size();
    }

    /** Last-Event-ID header, else the last_event_id query parameter; anything non-numeric counts as 0. */
    static long cursor(Context ctx) {
        String raw = ctx.header("Last-Event-ID");
        if (raw == null || raw.isBlank()) {
            raw = ctx.queryParam("last_event_id");
        }
        if (raw == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private final class Viewer implements EventHub.Subscriber {
        private final String debateId;
        private final OutputStream out;
        private final ArrayBlockingQueue<StoredEvent> queue = new ArrayBlockingQueue<>(VIEWER_QUEUE);
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean keepAliveDue = new AtomicBoolean();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile boolean closed;
        private boolean replayed;
        private long lastSent;

        Viewer(String debateId, long cursor, OutputStream out) {
            this.debateId = debateId;
            this.lastSent = cursor;
            this.out = out;
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
                StoredEvent event;
                while ((event = queue.poll()) != null) {
                    if (event.seq() > lastSent && send(event)) {
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

        /** Writes one event; true when it was the terminal one and the stream is now closed. */
        private boolean send(StoredEvent event) throws IOException {
            String frame = "id: " + event.seq() + "\nevent: " + event.event() + "\ndata: " + event.data() + "\n\n";
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            lastSent = event.seq();
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
            viewers.remove(this);
            done.complete(null);
        }
    }
}
