package com.polydebate.debates;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongFunction;

/**
 * A stored event with its SSE frame, serialised once and written as the same bytes to every viewer.
 *
 * @param gapFills the events after a seq, read from the log once for all the viewers that meet this event at that
 *                 seq: when events from several instances arrive out of order, a thousand viewers on one instance
 *                 would otherwise each read the same gap
 */
record EventFrame(StoredEvent event, byte[] wire, ConcurrentMap<Long, List<StoredEvent>> gapFills) {
    static EventFrame of(StoredEvent event) {
        return new EventFrame(event, ("id: " + event.seq() + "\nevent: " + event.event() + "\ndata: " + event.data()
                + "\n\n").getBytes(StandardCharsets.UTF_8), new ConcurrentHashMap<>(1));
    }

    /** The stored events after {@code seq}, read by the first viewer that needs them and shared with the others. */
    List<StoredEvent> eventsAfter(long seq, LongFunction<List<StoredEvent>> read) {
        return gapFills.computeIfAbsent(seq, read::apply);
    }
}
