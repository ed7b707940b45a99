package com.polydebate.debates;

import com.polydebate.db.DebateChanges;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live events across instances, PostgreSQL only: each committed append announces the debate id and the seq of its
 * first event (never the events themselves) with {@code pg_notify}, and every instance keeps one dedicated
 * {@code LISTEN} connection that reads the announced rows from {@code debate_events} (that seq and after, so a
 * batch such as a message with its round_complete arrives whole, and a viewer has no gap to fill from the log
 * itself: with 500 viewers on an instance, that was 500 reads per batch) and hands them to its local viewers. A
 * periodic catch-up hands every watched debate's last event to its viewers, who fill any gap from the log, so a
 * notification lost while reconnecting costs a short delay, never an event. Another instance's notification also
 * wakes this instance's job of that debate, so a pause, resume or stop committed there reaches the job at once (its
 * periodic re-read of the status stays as the backstop).
 */
final class PgEventRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgEventRelay.class);
    private static final String CHANNEL = DebateChanges.CHANNEL;
    private static final int POLL_MILLIS = 1000;
    private static final long CATCH_UP_MILLIS = 2000;

    private final String jdbcUrl;
    private final String instanceId;
    private final DebateStore store;
    private final EventHub hub;
    private final Consumer<String> wakeJob;
    private final DebateChanges changes;
    private final Thread listener;
    private volatile boolean closed;

    /**
     * Runs in the append's transaction: PostgreSQL delivers the notification only if, and when, it commits. The
     * payload is the debate id (a UUID, no spaces), the first seq and the announcing instance, which skips its own
     * notifications: its viewers and its job already have what it committed.
     */
    static EventLog.Announcer announcer(String instanceId) {
        return (tx, debateId, firstSeq) ->
                tx.attach(DebateChanges.Notify.class).send(debateId + " " + firstSeq + " " + instanceId);
    }

    PgEventRelay(String jdbcUrl, String instanceId, DebateStore store, EventHub hub, ScheduledExecutorService timer,
                 Consumer<String> wakeJob, DebateChanges changes) {
        this.jdbcUrl = jdbcUrl;
        this.instanceId = instanceId;
        this.store = store;
        this.hub = hub;
        this.wakeJob = wakeJob;
        this.changes = changes;
        this.listener = DaemonThreads.named("debate-listen").newThread(this::listen);
        listener.start();
        timer.scheduleWithFixedDelay(this::catchUp, CATCH_UP_MILLIS, CATCH_UP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void listen() {
        while (!closed) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl);
                 Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                changes.listening(true);
                // Whatever was committed while this connection was down.
                catchUp();
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            relay(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                changes.listening(false);
                if (!closed) {
                    log.warn("Debate event listener lost its connection; reconnecting", e);
                    pause();
                }
            }
        }
    }

    private void relay(String payload) {
        String[] fields = payload.split(" ", 3);
        if (fields.length < 3 || fields[2].equals(instanceId)) {
            return;
        }
        String debateId = fields[0];
        changes.received(debateId);
        wakeJob.accept(debateId);
        long firstSeq = Long.parseLong(fields[1]);
        // Seq 0 announces a change without events (a deletion, a stored summary).
        if (firstSeq == 0 || hub.viewers(debateId) == 0) {
            return;
        }
        store.eventsAfter(debateId, firstSeq - 1).forEach(hub::publish);
    }

    private void catchUp() {
        for (String debateId : hub.debates()) {
            try {
                store.lastEvent(debateId).ifPresent(hub::publish);
            } catch (RuntimeException e) {
                log.warn("Catch-up read of debate {} failed", debateId, e);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
    }
}
