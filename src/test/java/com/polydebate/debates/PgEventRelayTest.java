package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.polydebate.db.Database;
import com.polydebate.db.DebateChanges;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestDebates;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay on its own, against PostgreSQL: what another instance commits wakes this instance's job of the debate
 * and reaches its viewers; its own notifications and rolled-back ones do nothing. Notifications arrive in commit
 * order, so a later foreign one proves that an earlier one was skipped, without waiting for a timeout.
 */
class PgEventRelayTest {
    private static final String HERE = "instance-b";
    private static final String ELSEWHERE = "instance-a";

    private Database database;
    private DebateStore store;
    private final EventHub hub = new EventHub();
    /** The debates of this test: other tests and processes share the database and so the notification channel. */
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<String> woken = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private PgEventRelay relay;

    @BeforeEach
    void open() throws InterruptedException {
        assumeTrue(TestDatabases.onPostgres(), "the relay exists on PostgreSQL only");
        String url = TestDatabases.freshSchemaUrl(TestDatabases.postgresUrl().orElseThrow());
        database = Database.open(url);
        store = database.jdbi().onDemand(DebateStore.class);
        relay = new PgEventRelay(url, HERE, store, hub, timer, id -> {
            if (mine.contains(id)) {
                woken.add(id);
            }
        }, new DebateChanges(Database.Kind.POSTGRESQL, HERE));
        awaitListening();
    }

    @AfterEach
    void close() {
        if (relay != null) {
            relay.close();
        }
        timer.shutdownNow();
        if (database != null) {
            database.close();
        }
    }

    /**
     * The listener connects in the background: announce a probe until it is heard, then a fence, which arrives after
     * every probe sent before it.
     */
    private void awaitListening() throws InterruptedException {
        String probe = debate();
        boolean heard = false;
        for (int attempt = 0; attempt < 100 && !heard; attempt++) {
            announce(probe, "probe", ELSEWHERE);
            heard = probe.equals(woken.poll(100, TimeUnit.MILLISECONDS));
        }
        assertThat(heard).as("the relay listens").isTrue();
        String fence = debate();
        announce(fence, "fence", ELSEWHERE);
        String next;
        do {
            next = woken.poll(10, TimeUnit.SECONDS);
        } while (next != null && !next.equals(fence));
        assertThat(next).isEqualTo(fence);
    }

    private String debate() {
        String debateId = TestDebates.debate(database.jdbi(), null).status("in_progress").completedAt(null).insert();
        mine.add(debateId);
        return debateId;
    }

    private StoredEvent announce(String debateId, String name, String instance) {
        return database.jdbi().inTransaction(h -> {
            long seq = h.attach(DebateStore.class).appendEvent(debateId, name, "{}", "2026-12-06T02:00:00.000Z",
                    false);
            PgEventRelay.announcer(instance).announce(h, debateId, seq);
            return new StoredEvent(debateId, seq, name, "{}", false);
        });
    }

    private static final class Recorder implements EventHub.Subscriber {
        final BlockingQueue<StoredEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void deliver(EventFrame frame) {
            events.add(frame.event());
        }
    }

    @Test
    void another_instances_commit_wakes_the_job_of_that_debate_and_reaches_the_viewers_here()
            throws InterruptedException {
        String debateId = debate();
        Recorder viewer = new Recorder();
        hub.subscribe(debateId, viewer);

        StoredEvent paused = announce(debateId, "debate_paused", ELSEWHERE);

        assertThat(woken.poll(10, TimeUnit.SECONDS)).isEqualTo(debateId);
        StoredEvent delivered = viewer.events.poll(10, TimeUnit.SECONDS);
        assertThat(delivered).isNotNull();
        assertThat(delivered.seq()).isEqualTo(paused.seq());
    }

    @Test
    void its_own_notifications_and_rolled_back_ones_wake_nothing() throws InterruptedException {
        String own = debate();
        String rolledBack = debate();
        String foreign = debate();

        announce(own, "debate_paused", HERE);
        try {
            database.jdbi().useTransaction(h -> {
                PgEventRelay.announcer(ELSEWHERE).announce(h, rolledBack, 1);
                h.rollback();
            });
        } finally {
            announce(foreign, "debate_paused", ELSEWHERE);
        }

        assertThat(woken.poll(10, TimeUnit.SECONDS)).isEqualTo(foreign);
        assertThat(woken).isEmpty();
    }
}
