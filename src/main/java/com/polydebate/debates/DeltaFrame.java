package com.polydebate.debates;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntFunction;

/**
 * One {@code message_delta} as published to this instance's live viewers: the turn's argument text so far and the
 * part of it that is new since the previous frame. Never stored, carries no SSE {@code id:}, never replayed. Each
 * viewer remembers how much of the turn it has written, so one that joined late, fell behind (queued frames of a
 * turn are written as one) or saw an earlier attempt gets everything it misses in one delta from its own offset;
 * {@code offset} 0 always means "the text of this turn starts over here".
 *
 * @param thinkingSeq the seq of the turn's {@code model_thinking}: a viewer writes the frame only after that event
 *                    and before the turn's {@code message} or {@code debate_error}
 * @param attempt     the model call's attempt: a retried call restarts the text at offset 0
 */
record DeltaFrame(String debateId, long thinkingSeq, int attempt, String text, int from,
                  IntFunction<byte[]> serialiser, ConcurrentMap<Integer, byte[]> wires) {
    static final String EVENT = "message_delta";

    DeltaFrame(String debateId, long thinkingSeq, int attempt, String text, int from, IntFunction<byte[]> serialiser) {
        this(debateId, thinkingSeq, attempt, text, from, serialiser, new ConcurrentHashMap<>(2));
        wires.put(from, serialiser.apply(from));
    }

    /**
     * The SSE frame carrying the text from {@code offset} on, serialised once per offset and shared by every viewer
     * at that offset: most are at {@link #from}; those that joined mid-turn or fell behind share theirs.
     */
    byte[] wire(int offset) {
        return wires.computeIfAbsent(offset, serialiser::apply);
    }

    boolean sameTurnAndAttempt(DeltaFrame other) {
        return thinkingSeq == other.thinkingSeq && attempt == other.attempt && debateId.equals(other.debateId);
    }

    static byte[] sse(String json) {
        return ("event: " + EVENT + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
