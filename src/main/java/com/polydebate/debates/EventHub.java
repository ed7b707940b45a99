package com.polydebate.debates;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live fan-out of persisted events to the viewers of each debate; delivering never blocks the publisher. An event is
 * serialised into its SSE frame once here, and every viewer gets the same bytes.
 */
final class EventHub {
    /** A live viewer; {@link #deliver} must return at once (queue or drop, never wait). */
    interface Subscriber {
        void deliver(EventFrame frame);

        /** An ephemeral text delta; like {@link #deliver}, must return at once. */
        default void deliverDelta(DeltaFrame frame) {
        }
    }

    private final Map<String, Set<Subscriber>> topics = new ConcurrentHashMap<>();

    void subscribe(String debateId, Subscriber subscriber) {
        topics.computeIfAbsent(debateId, id -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    void unsubscribe(String debateId, Subscriber subscriber) {
        topics.computeIfPresent(debateId, (id, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    void publish(StoredEvent event) {
        Set<Subscriber> subscribers = topics.get(event.debateId());
        if (subscribers != null && !subscribers.isEmpty()) {
            EventFrame frame = EventFrame.of(event);
            subscribers.forEach(s -> s.deliver(frame));
        }
    }

    void publishDelta(DeltaFrame frame) {
        Set<Subscriber> subscribers = topics.get(frame.debateId());
        if (subscribers != null) {
            subscribers.forEach(s -> s.deliverDelta(frame));
        }
    }

    /** The debates that have viewers here now. */
    Set<String> debates() {
        return Set.copyOf(topics.keySet());
    }

    /** Live viewers over all debates. */
    int totalViewers() {
        return topics.values().stream().mapToInt(Set::size).sum();
    }

    int viewers(String debateId) {
        Set<Subscriber> subscribers = topics.get(debateId);
        return subscribers == null ? 0 : subscribers.size();
    }
}
