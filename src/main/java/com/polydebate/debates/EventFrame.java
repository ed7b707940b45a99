package com.polydebate.debates;

import java.nio.charset.StandardCharsets;

/** A stored event with its SSE frame, serialised once and written as the same bytes to every viewer. */
record EventFrame(StoredEvent event, byte[] wire) {
    static EventFrame of(StoredEvent event) {
        return new EventFrame(event, ("id: " + event.seq() + "\nevent: " + event.event() + "\ndata: " + event.data()
                + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
