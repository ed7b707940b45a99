package com.polydebate.upstream;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An upstream answer whose body is read as it arrives (a server-sent event stream), so that the caller can act on
 * each chunk and bound the silence between two chunks. The body is pulled one chunk at a time: nothing is buffered
 * beyond what the caller has not read yet. Not thread-safe: one reader.
 */
public final class StreamedResponse implements AutoCloseable {
    private static final byte[] END = new byte[0];

    private final int status;
    private final HttpHeaders headers;
    private final Chunks chunks;

    StreamedResponse(int status, HttpHeaders headers, Chunks chunks) {
        this.status = status;
        this.headers = headers;
        this.chunks = chunks;
    }

    public int status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The next bytes of the body, waiting at most {@code wait}; null at the end of the body.
     *
     * @throws TimeoutException when nothing arrived within {@code wait}
     * @throws IOException when the connection failed
     */
    public byte[] next(Duration wait) throws IOException, TimeoutException, InterruptedException {
        return chunks.next(wait);
    }

    /** Abandons the rest of the body (and the connection). */
    @Override
    public void close() {
        chunks.cancel();
    }

    /** The body subscriber: chunks are requested one at a time and handed over through a queue. */
    static final class Chunks implements Flow.Subscriber<List<ByteBuffer>> {
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        private boolean ended;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
            byte[] bytes = new byte[size];
            int at = 0;
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                b.get(bytes, at, n);
                at += n;
            }
            queue.add(bytes);
        }

        @Override
        public void onError(Throwable error) {
            queue.add(error);
        }

        @Override
        public void onComplete() {
            queue.add(END);
        }

        byte[] next(Duration wait) throws IOException, TimeoutException, InterruptedException {
            while (true) {
                if (ended) {
                    return null;
                }
                Object item = queue.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
                if (item == null) {
                    throw new TimeoutException("No data within " + wait.toMillis() + " ms");
                }
                if (item instanceof Throwable error) {
                    ended = true;
                    throw error instanceof IOException io ? io : new IOException(error.toString(), error);
                }
                byte[] bytes = (byte[]) item;
                if (bytes == END) {
                    ended = true;
                    return null;
                }
                subscription.request(1);
                if (bytes.length > 0) {
                    return bytes;
                }
            }
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
