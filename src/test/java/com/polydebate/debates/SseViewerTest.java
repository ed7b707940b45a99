package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.config.Config;
import com.polydebate.config.ConfigLoader;
import com.polydebate.db.Database;
import com.polydebate.support.TestDebates;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    private final ExecutorService writers = Executors.newFixedThreadPool(2);
    private String debateId;

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
        writers.shutdownNow();
        database.close();
    }

    private StoredEvent persist(String name) {
        boolean terminal = name.equals("debate_complete") || name.equals("debate_stopped");
        long seq = database.jdbi().inTransaction(h -> h.attach(DebateStore.class).appendEvent(debateId, name,
                "{\"n\":\"" + name + "\"}", "2026-11-28T12:00:00.000Z", terminal));
        return new StoredEvent(debateId, seq, name, "{\"n\":\"" + name + "\"}", terminal);
    }

    private static String ids(ByteArrayOutputStream out) {
        Matcher m = Pattern.compile("id: (\\d+)").matcher(out.toString(StandardCharsets.UTF_8));
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseViewer viewer = new SseViewer(debateId, 1, out, 16, store, hub, writers, v -> { });
        hub.subscribe(debateId, viewer);
        // published after subscribing but already in the log: must be sent once
        hub.publish(thinking);
        viewer.schedule();
        hub.publish(persist("message"));
        hub.publish(thinking);
        hub.publish(persist("debate_complete"));

        viewer.done().get(5, TimeUnit.SECONDS);

        assertThat(ids(out)).isEqualTo("2,3,4");
        assertThat(hub.viewers(debateId)).isZero();
    }

    @Test
    void a_viewer_that_cannot_keep_up_is_dropped_while_the_publisher_and_other_viewers_carry_on() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                await();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                await();
            }

            private void await() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        SseViewer slow = new SseViewer(debateId, 0, stalled, 4, store, hub, writers, v -> { });
        ByteArrayOutputStream fastOut = new ByteArrayOutputStream();
        SseViewer fast = new SseViewer(debateId, 0, fastOut, 64, store, hub, writers, v -> { });
        hub.subscribe(debateId, slow);
        hub.subscribe(debateId, fast);
        fast.schedule();

        for (int i = 0; i < 20; i++) {
            hub.publish(persist("model_thinking"));
        }

        slow.done().get(5, TimeUnit.SECONDS);
        assertThat(slow.closed()).isTrue();
        hub.publish(persist("debate_stopped"));
        fast.done().get(5, TimeUnit.SECONDS);
        assertThat(ids(fastOut)).isEqualTo("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21");
        assertThat(hub.viewers(debateId)).isZero();
        release.countDown();
    }

    @Test
    void a_viewer_whose_cursor_is_already_past_the_terminal_event_is_closed_when_it_arrives() throws Exception {
        persist("debate_started");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseViewer viewer = new SseViewer(debateId, 999, out, 16, store, hub, writers, v -> { });
        hub.subscribe(debateId, viewer);
        viewer.schedule();

        hub.publish(persist("debate_complete"));

        viewer.done().get(5, TimeUnit.SECONDS);
        assertThat(ids(out)).isEmpty();
        assertThat(hub.viewers(debateId)).isZero();
    }
}
