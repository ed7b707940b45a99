package com.polydebate.debates;

import com.polydebate.http.ApiException;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET /api/debate/{id}/stream} (§10): a subscription to the debate's event log. Subscribes first, replays
 * the stored events after the cursor (read here, on the request's thread), then forwards live ones, skipping any seq
 * already sent. Each viewer has a bounded queue of shared frames, written without blocking by its lane
 * ({@link StreamLanes}); a viewer that falls too far behind is disconnected (it reconnects with Last-Event-ID)
 * instead of holding memory or the debate back.
 */
final class EventStream {
    static final int VIEWER_QUEUE = 512;
    private static final byte[] RETRY = "retry: 3000\n\n".getBytes(StandardCharsets.UTF_8);

    private final DebateStore store;
    private final EventHub hub;
    private final StreamLanes lanes;
    private final Set<SseViewer> viewers = ConcurrentHashMap.newKeySet();

    EventStream(DebateStore store, EventHub hub, StreamLanes lanes, ScheduledExecutorService timer,
                Duration keepAlive) {
        this.store = store;
        this.hub = hub;
        this.lanes = lanes;
        timer.scheduleAtFixedRate(() -> viewers.forEach(SseViewer::keepAlive), keepAlive.toMillis(),
                keepAlive.toMillis(), TimeUnit.MILLISECONDS);
    }

    void handle(Context ctx) throws IOException {
        String debateId = ctx.pathParam("debate_id");
        store.find(debateId).filter(d -> !d.deleted())
                .orElseThrow(() -> ApiException.notFound("debate_not_found", "Debate not found"));
        long cursor = cursor(ctx);
        HttpServletResponse response = ctx.res();
        ServletOutputStream out = response.getOutputStream();
        ServletSseConnection connection = new ServletSseConnection(ctx.req(), out);
        SseViewer viewer = new SseViewer(debateId, cursor, connection, VIEWER_QUEUE, store, hub, lanes.assign(),
                viewers::remove);
        hub.subscribe(debateId, viewer);
        List<StoredEvent> replay;
        try {
            replay = store.eventsAfter(debateId, cursor);
            // Only a cursor with nothing after it can be past the end: the common first connection reads once.
            if (replay.isEmpty() && store.lastEvent(debateId)
                    .filter(last -> last.terminal() && cursor >= last.seq()).isPresent()) {
                hub.unsubscribe(debateId, viewer);
                ctx.status(204);
                return;
            }
            response.setStatus(200);
            response.setHeader("Content-Type", "text/event-stream; charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            keepAliveHeader(ctx, response);
            response.setHeader("X-Accel-Buffering", "no");
            // Through the connection, which hands Jetty the bytes as they are: a byte[] write would make the response
            // take a 32 KiB aggregation buffer and hold it for as long as the stream stays open. Still blocking here:
            // the non-blocking mode starts with the viewer.
            connection.write(ByteBuffer.wrap(RETRY));
            out.flush();
        } catch (IOException | RuntimeException e) {
            hub.unsubscribe(debateId, viewer);
            throw e;
        }
        viewers.add(viewer);
        // Non-blocking writes need the async context, which Javalin starts before it asks for the future.
        ctx.future(() -> {
            try {
                viewer.start(replay);
            } catch (RuntimeException e) {
                hub.unsubscribe(debateId, viewer);
                viewers.remove(viewer);
                throw e;
            }
            return viewer.done();
        });
    }

    /**
     * §10.1 lists {@code Connection: keep-alive}. Jetty strips that value from HTTP/1.1 answers (persistence is the
     * default there), so it is added as a field Jetty does not recognise as its own connection header. HTTP/2 and
     * later forbid the header; it is only sent on HTTP/1.1, and not to a client that asked to close the connection.
     */
    private static void keepAliveHeader(Context ctx, HttpServletResponse response) {
        String requested = ctx.header("Connection");
        if ("HTTP/1.1".equals(ctx.req().getProtocol())
                && (requested == null || !requested.toLowerCase(Locale.ROOT).contains("close"))) {
            ServletContextResponse.getServletContextResponse(response).getHeaders()
                    .put(new HttpField((HttpHeader) null, "Connection", "keep-alive"));
        }
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
}
