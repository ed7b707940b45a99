package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.config.Config;
import com.polydebate.config.ConfigLoader;
import com.polydebate.db.Database;
import com.polydebate.support.TestDebates;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SseViewerTest {
    @TempDir
    Path storage;
    private Database database;
    private DebateStore store;
    private final EventHub hub = new EventHub();
    private final StreamLanes lanes = new StreamLanes(2);
    private String debateId;

    /** A connection in memory: records every frame; {@code stallAfter} writes it stops taking bytes for good. */
    private static final class MemoryConnection implements SseConnection {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final List<ByteBuffer> frames = new ArrayList<>();
        private final int stallAfter;
        private volatile boolean full;
        private volatile boolean aborted;
        private SseViewer viewer;

        MemoryConnection(int stallAfter) {
            this.stallAfter = stallAfter;
        }

        @Override
        public void start(SseViewer viewer) {
            this.viewer = viewer;
        }

        @Override
        public synchronized boolean ready() {
            return !full && frames.size() < stallAfter;
        }

        @Override
        public synchronized void write(ByteBuffer frame) {
            frames.add(frame);
            bytes.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        }

        /** As Jetty does: closing the endpoint fails the pending write, and the listener hears of it. */
        @Override
        public void abort() {
            aborted = true;
            viewer.failed();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized List<ByteBuffer> frames() {
            return List.copyOf(frames);
        }
    }

    @BeforeEach
    void open() {
        Config config = ConfigLoader.load(Map.of("STORAGE_DIR", storage.toString(), "APP_ENV", "development",
                "JWT_SECRET_KEY", "test-secret-key-that-is-long-enough-1234567890"), new SecureRandom());
        database = Database.open(config.databaseUrl());
        store = database.jdbi().onDemand(DebateStore.class);
        debateId = TestDebates.debate(database.jdbi(), null).status("in_progress").completedAt(null).insert();
    }

    @AfterEach
    void close() {
        lanes.close();
        database.close();
    }

    private StoredEvent persist(String name) {
        boolean terminal = name.equals("debate_complete") || name.equals("debate_stopped");
        long seq = database.jdbi().inTransaction(h -> h.attach(DebateStore.class).appendEvent(debateId, name,
                "{\"n\":\"" + name + "\"}", "2026-11-28T12:00:00.000Z", terminal));
        return new StoredEvent(debateId, seq, name, "{\"n\":\"" + name + "\"}", terminal);
    }

    /** Subscribes first, then reads the replay, as the stream endpoint does. */
    private SseViewer connect(long cursor, MemoryConnection connection, int queue) {
        SseViewer viewer = new SseViewer(debateId, cursor, connection, queue, store, hub, lanes.assign(), v -> { });
        hub.subscribe(debateId, viewer);
        viewer.start(store.eventsAfter(debateId, cursor));
        return viewer;
    }

    private static String ids(String stream) {
        Matcher m = Pattern.compile("id: (\\d+)").matcher(stream);
        StringBuilder ids = new StringBuilder();
        while (m.find()) {
            ids.append(ids.length() == 0 ? "" : ",").append(m.group(1));
        }
        return ids.toString();
    }

    @Test
    void replay_hands_over_to_live_events_without_gap_or_duplicate_and_closes_after_the_terminal_event()
            throws Exception {
        persist("debate_started");
        StoredEvent thinking = persist("model_thinking");
        MemoryConnection connection = new MemoryConnection(Integer.MAX_VALUE);
        SseViewer viewer = new SseViewer(debateId, 1, connection, 16, store, hub, lanes.assign(), v -> { });
        hub.subscribe(debateId, viewer);
        // published after subscribing but already in the log: must be sent once
        hub.publish(thinking);
        viewer.start(store.eventsAfter(debateId, 1));
        hub.publish(persist("message"));
        hub.publish(thinking);
        hub.publish(persist("debate_complete"));

        viewer.done().get(5, TimeUnit.SECONDS);

        assertThat(ids(connection.text())).isEqualTo("2,3,4");
        assertThat(hub.viewers(debateId)).isZero();
    }

    @Test
    void a_viewer_that_never_reads_is_dropped_while_the_publisher_and_the_other_viewers_carry_on() throws Exception {
        MemoryConnection stalled = new MemoryConnection(1);
        SseViewer slow = connect(0, stalled, 4);
        MemoryConnection fastConnection = new MemoryConnection(Integer.MAX_VALUE);
        SseViewer fast = connect(0, fastConnection, 64);

        for (int i = 0; i < 20; i++) {
            hub.publish(persist("model_thinking"));
        }

        slow.done().get(5, TimeUnit.SECONDS);
        assertThat(slow.closed()).isTrue();
        assertThat(stalled.aborted).isTrue();
        hub.publish(persist("debate_stopped"));
        fast.done().get(5, TimeUnit.SECONDS);
        assertThat(ids(fastConnection.text())).isEqualTo("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21");
        assertThat(hub.viewers(debateId)).isZero();
    }

    @Test
    void a_viewer_whose_socket_is_full_gets_the_rest_in_order_once_it_can_take_bytes_again() throws Exception {
        MemoryConnection connection = new MemoryConnection(Integer.MAX_VALUE);
        connection.full = true;
        SseViewer viewer = connect(0, connection, 16);
        for (int i = 0; i < 5; i++) {
            hub.publish(persist("model_thinking"));
        }
        assertThat(connection.frames()).isEmpty();

        connection.full = false;
        viewer.writable();
        hub.publish(persist("debate_complete"));

        viewer.done().get(5, TimeUnit.SECONDS);
        assertThat(ids(connection.text())).isEqualTo("1,2,3,4,5,6");
    }

    @Test
    void every_viewer_writes_the_same_bytes_of_an_event_serialised_once() throws Exception {
        StoredEvent thinking = persist("model_thinking");
        List<MemoryConnection> connections = List.of(new MemoryConnection(Integer.MAX_VALUE),
                new MemoryConnection(Integer.MAX_VALUE), new MemoryConnection(Integer.MAX_VALUE));
        List<SseViewer> viewers = connections.stream().map(c -> connect(1, c, 16)).toList();
        hub.publishDelta(new DeltaFrame(debateId, thinking.seq(), 1, "Odds", 0,
                offset -> DeltaFrame.sse("{\"delta\":\"" + "Odds".substring(offset) + "\"}")));
        hub.publish(persist("message"));
        hub.publish(persist("debate_complete"));
        for (SseViewer viewer : viewers) {
            viewer.done().get(5, TimeUnit.SECONDS);
        }

        List<ByteBuffer> first = connections.get(0).frames();
        assertThat(connections.get(0).text()).contains("event: message_delta", "id: 2", "id: 3");
        for (MemoryConnection other : connections) {
            assertThat(other.text()).isEqualTo(connections.get(0).text());
            List<ByteBuffer> frames = other.frames();
            assertThat(frames).hasSameSizeAs(first);
            for (int i = 0; i < frames.size(); i++) {
                assertThat(frames.get(i).array()).isSameAs(first.get(i).array());
            }
        }
    }

    @Test
    void a_viewer_whose_cursor_is_already_past_the_terminal_event_is_closed_when_it_arrives() throws Exception {
        persist("debate_started");
        MemoryConnection connection = new MemoryConnection(Integer.MAX_VALUE);
        SseViewer viewer = connect(999, connection, 16);

        hub.publish(persist("debate_complete"));

        viewer.done().get(5, TimeUnit.SECONDS);
        assertThat(ids(connection.text())).isEmpty();
        assertThat(hub.viewers(debateId)).isZero();
    }
    @Test
    void viewers_that_meet_the_same_gap_fill_it_with_one_read_of_the_log() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        DebateStore counting = (DebateStore) Proxy.newProxyInstance(DebateStore.class.getClassLoader(),
                new Class<?>[] {DebateStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("eventsAfter")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<MemoryConnection> connections = List.of(new MemoryConnection(Integer.MAX_VALUE),
                new MemoryConnection(Integer.MAX_VALUE));
        List<SseViewer> viewers = new ArrayList<>();
        for (MemoryConnection connection : connections) {
            SseViewer viewer = new SseViewer(debateId, 0, connection, 16, counting, hub, lanes.assign(), v -> { });
            hub.subscribe(debateId, viewer);
            viewer.start(List.of());
            viewers.add(viewer);
        }
        // Written on another instance: the first two reach this one only through the log.
        persist("debate_started");
        persist("model_thinking");
        hub.publish(persist("message"));
        hub.publish(persist("debate_complete"));

        for (SseViewer viewer : viewers) {
            viewer.done().get(5, TimeUnit.SECONDS);
        }
        for (MemoryConnection connection : connections) {
            assertThat(ids(connection.text())).isEqualTo("1,2,3,4");
        }
        assertThat(reads).hasValue(1);
    }
}
