package com.polydebate.debates;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A viewer's connection as its lane sees it: writes that never block. A lane writes while {@link #ready()} says so;
 * once it says no, the connection calls {@link SseViewer#writable()} when the socket takes bytes again, so a viewer
 * whose client reads slowly waits without holding a thread.
 */
interface SseConnection {
    /** Starts the non-blocking mode; from now on the connection reports to {@code viewer}. */
    void start(SseViewer viewer);

    /** True when {@link #write} may be called now; false means {@link SseViewer#writable()} follows later. */
    boolean ready();

    /** Starts writing one frame: the viewer's own view ({@link ByteBuffer#duplicate()}) of bytes shared by all. */
    void write(ByteBuffer frame) throws IOException;

    /** Closes the connection at once, pending write or not: the viewer was dropped as too slow. */
    void abort();
}
