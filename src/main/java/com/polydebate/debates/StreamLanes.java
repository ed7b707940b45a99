package com.polydebate.debates;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that write to SSE viewers: a few lanes (one per core), each owning the viewers assigned to it. A
 * viewer with something to write is queued on its lane once (however many frames it has waiting); the lane writes
 * them without blocking and moves on, so one lane thread serves hundreds of viewers and a viewer whose socket is
 * full costs nothing until its connection says it can take more.
 */
final class StreamLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamLanes.class);
    private static final long CLOSE_DELAY_MILLIS = 100;

    /** One lane: a thread and its queue of viewers with something to do. */
    static final class Lane implements Runnable {
        private final LinkedBlockingQueue<SseViewer> runnable = new LinkedBlockingQueue<>();
        private final ScheduledExecutorService closer;

        Lane(ScheduledExecutorService closer) {
            this.closer = closer;
        }

        void submit(SseViewer viewer) {
            runnable.add(viewer);
        }

        /**
         * Completing a stream runs the request's end (async completion, last chunk, access log line, metrics) on the
         * closing thread, a moment later: when a thousand viewers end together, the lanes write every terminal frame
         * first instead of sharing the cores with a thousand request ends.
         */
        void finished(CompletableFuture<Void> done) {
            closer.schedule(() -> done.complete(null), CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    SseViewer viewer = runnable.take();
                    try {
                        viewer.drain();
                    } catch (RuntimeException e) {
                        log.warn("Writing to a stream viewer failed", e);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final Lane[] lanes;
    private final Thread[] threads;
    private final ScheduledExecutorService closer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("debate-stream-close"));
    private final AtomicInteger next = new AtomicInteger();

    StreamLanes(int count) {
        lanes = new Lane[count];
        threads = new Thread[count];
        var factory = DaemonThreads.named("debate-stream-lane");
        for (int i = 0; i < count; i++) {
            lanes[i] = new Lane(closer);
            threads[i] = factory.newThread(lanes[i]);
            threads[i].start();
        }
    }

    /** The lane of a new viewer: round robin, so that the viewers of one debate spread over every core. */
    Lane assign() {
        return lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
    }

    @Override
    public void close() {
        for (Thread thread : threads) {
            thread.interrupt();
        }
        closer.shutdownNow();
    }
}
