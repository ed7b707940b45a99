package com.polydebate.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** One server-sent event as a test client received it. */
public record SseEvent(long id, String event, JsonNode data) {

    /**
     * Reads an event stream one line at a time, so that every SSE client in the tests shares one reading of the
     * format while still acting on each event as soon as its blank line arrives. Comment lines are ignored here;
     * a caller that counts keep-alives looks at the raw line itself.
     */
    public static final class Parser {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private long id = -1;
        private String event;
        private String data;

        /** The event this line completes: a blank line ends an event, other lines only add to it. */
        public Optional<SseEvent> line(String line) throws JsonProcessingException {
            if (line.isEmpty()) {
                SseEvent completed = event == null ? null : new SseEvent(id, event, MAPPER.readTree(data));
                id = -1;
                event = null;
                data = null;
                return Optional.ofNullable(completed);
            }
            if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = line.substring(6);
            }
            return Optional.empty();
        }
    }
}
