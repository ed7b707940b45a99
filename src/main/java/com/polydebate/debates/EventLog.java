package com.polydebate.debates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.db.DebateChanges;
import com.polydebate.db.Timestamps;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The single ordered emitter of every debate: state changes and events are committed in one transaction,
 * numbered by the per-debate {@code seq}, and only then published live. A lock per debate (striped) keeps
 * publication in seq order whichever thread (job or control request) emits.
 */
final class EventLog {
    /**
     * Tells other instances, in the append's transaction, that a debate's log grew from {@code firstSeq} on (the
     * first event of the append, so that a reader fetches the whole batch in one read).
     */
    interface Announcer {
        /** One instance (SQLite): its own hub is every viewer there is. */
        Announcer NONE = (tx, debateId, firstSeq) -> { };

        void announce(Handle tx, String debateId, long firstSeq);
    }

    private final Jdbi jdbi;
    private final Announcer announcer;
    private final EventHub hub;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final DebateHooks hooks;
    /** Every state change the log commits changes the debate's document, which readers keep in memory. */
    private final DebateChanges changes;
    // Striped rather than one lock per debate, so that nothing accumulates per debate ever seen.
    private final Object[] locks = new Object[64];

    EventLog(Jdbi jdbi, EventHub hub, ObjectMapper mapper, Clock clock, Announcer announcer, DebateHooks hooks,
             DebateChanges changes) {
        this.jdbi = jdbi;
        this.changes = changes;
        this.announcer = announcer;
        this.hub = hub;
        this.mapper = mapper;
        this.clock = clock;
        this.hooks = hooks;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    private Object lock(String debateId) {
        return locks[Math.floorMod(debateId.hashCode(), locks.length)];
    }

    void append(String debateId, DebateEvent event) {
        append(debateId, List.of(event), store -> { });
    }

    /**
     * Runs {@code work} and appends {@code events} in one transaction, then publishes them. A terminal event
     * for a debate that already has one is left out: whoever ended the debate first wrote it.
     */
    List<StoredEvent> append(String debateId, List<? extends DebateEvent> events, Consumer<DebateStore> work) {
        synchronized (lock(debateId)) {
            String now = Timestamps.format(clock.instant());
            List<StoredEvent> stored = jdbi.inTransaction(h -> {
                DebateStore store = h.attach(DebateStore.class);
                work.accept(store);
                List<StoredEvent> written = new ArrayList<>();
                for (DebateEvent e : events) {
                    if (e.terminal() && store.hasTerminalEvent(debateId)) {
                        continue;
                    }
                    String data = json(e);
                    written.add(new StoredEvent(debateId,
                            store.appendEvent(debateId, e.event(), data, now, e.terminal()), e.event(), data,
                            e.terminal()));
                }
                if (written.isEmpty()) {
                    changes.announce(h, debateId);
                } else {
                    announcer.announce(h, debateId, written.get(0).seq());
                    changes.changedHere(h, debateId);
                }
                return written;
            });
            if (!stored.isEmpty()) {
                hooks.eventsCommitted(debateId, stored.get(stored.size() - 1).seq());
            }
            stored.forEach(hub::publish);
            return stored;
        }
    }

    /**
     * Runs {@code work} under the debate's emitter lock, in one transaction, without an event. A status written this
     * way (a completion before its results) changes the document here; other instances see the change with the
     * event that follows.
     */
    <T> T locked(String debateId, Function<DebateStore, T> work) {
        return locked(debateId, work, false);
    }

    /**
     * Like {@link #locked}, for a change other instances must act on although it writes no event (a stop: the job,
     * wherever it runs, writes the terminal event itself): announced to every instance, whose relay wakes the
     * debate's job there.
     */
    <T> T lockedAndAnnounced(String debateId, Function<DebateStore, T> work) {
        return locked(debateId, work, true);
    }

    private <T> T locked(String debateId, Function<DebateStore, T> work, boolean announce) {
        synchronized (lock(debateId)) {
            return jdbi.inTransaction(h -> {
                T result = work.apply(h.attach(DebateStore.class));
                if (announce) {
                    changes.announce(h, debateId);
                } else {
                    changes.changedHere(h, debateId);
                }
                return result;
            });
        }
    }

    /** The body of a {@code message_delta}. */
    record MessageDelta(String debateId, int round, int sequence, String modelId, int offset, String delta) {
    }

    /**
     * Hands a turn's argument text so far to this instance's live viewers, as a {@code message_delta} carrying
     * {@code text} from {@code from} on. Nothing is stored: deltas are a preview, the {@code message} event is the
     * record, and viewers on other instances see only that.
     */
    void publishDelta(String debateId, int round, int sequence, String modelId, long thinkingSeq, int attempt,
                      String text, int from) {
        if (hub.viewers(debateId) == 0) {
            return;
        }
        IntFunction<byte[]> wire = offset -> DeltaFrame.sse(json(
                new MessageDelta(debateId, round, sequence, modelId, offset, text.substring(offset))));
        hub.publishDelta(new DeltaFrame(debateId, thinkingSeq, attempt, text, from, wire));
    }

    private String json(Object data) {
        try {
            return mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event data is not serialisable", e);
        }
    }
}
