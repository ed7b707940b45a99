package com.polydebate.db;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Changes to stored debates that copies kept in memory (the debate document) must not outlive: a write
 * announces the debate here, in its own transaction, and every listener of every instance that shares the database
 * hears of it. This instance hears after the commit; on PostgreSQL the others hear through {@code pg_notify} on the
 * event log's channel, which PostgreSQL delivers only if, and when, the transaction commits, and which each instance's
 * {@code LISTEN} connection hands to {@link #received}. While that connection is down an announcement can be missed,
 * so a copy counts only while the instance {@link #trusted() listens}, and only if made since it last (re)connected
 * ({@link #epoch()}). On SQLite one instance owns the database and hears everything itself.
 */
public final class DebateChanges {
    /** The channel of the event log's announcements, which carry the same payload shape. */
    public static final String CHANNEL = "debate_events";

    private final boolean shared;
    private final String instanceId;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean listening;

    /** The one PostgreSQL-only statement of the announcements, the event log's as well. */
    public interface Notify {
        @SqlQuery("SELECT 1 FROM (SELECT pg_notify('" + CHANNEL + "', :payload)) AS sent")
        int send(String payload);
    }

    public DebateChanges(Database.Kind kind, String instanceId) {
        this.shared = kind == Database.Kind.POSTGRESQL;
        this.instanceId = instanceId;
    }

    /** Calls {@code listener} with the id of every debate that changed, here or on another instance. */
    public void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Announces, in the transaction {@code tx} that changed the debate, that it changed. The payload has the event
     * log's shape (debate, first seq, instance) with seq 0: no new events to read.
     */
    public void announce(Handle tx, String debateId) {
        if (shared) {
            tx.attach(Notify.class).send(debateId + " 0 " + instanceId);
        }
        changedHere(tx, debateId);
    }

    /**
     * In the transaction {@code tx} that changed the debate, a change that other instances learn of through the
     * event log's own announcement of the same transaction: only this instance's listeners are told, after the commit.
     */
    public void changedHere(Handle tx, String debateId) {
        if (tx.isInTransaction()) {
            tx.afterCommit(() -> changed(debateId));
        } else {
            changed(debateId);
        }
    }

    /** Another instance announced a change of the debate (events or not). */
    public void received(String debateId) {
        changed(debateId);
    }

    /**
     * The {@code LISTEN} connection is up ({@code true}: announcements from now on arrive; whatever was kept before
     * may have missed some) or lost ({@code false}).
     */
    public void listening(boolean up) {
        if (up) {
            epoch.incrementAndGet();
        }
        listening = up;
    }

    /** True when every change made since {@link #epoch()} was read reaches this instance's listeners. */
    public boolean trusted() {
        return !shared || listening;
    }

    /** Advances at each (re)connection of the listener; a copy made in an earlier epoch may have missed changes. */
    public long epoch() {
        return epoch.get();
    }

    private void changed(String debateId) {
        for (Consumer<String> listener : listeners) {
            listener.accept(debateId);
        }
    }
}
