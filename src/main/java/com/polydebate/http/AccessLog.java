package com.polydebate.http;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log: one line per request on the {@code http} logger's level (INFO), in the same shape as the other
 * log lines, written to standard error by a thread of its own. Formatting a line and one flushed write per request
 * were the largest single cost of a cheap request, so the request thread only queues the line's fields, and the
 * writer formats whatever has queued up and writes it in one go a few times a second. Past
 * {@value #MAX_PENDING} queued lines (the writer cannot keep up) lines are dropped and counted, never waited for.
 */
final class AccessLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("http");
    private static final int MAX_PENDING = 100_000;
    private static final long FLUSH_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The encoding the JVM gives its standard error (Java 17's PrintStream does not tell). */
    private static final Charset STANDARD_ERROR = Optional.ofNullable(System.getProperty("sun.stderr.encoding"))
            .filter(Charset::isSupported).map(Charset::forName).orElse(Charset.defaultCharset());

    private record Line(long atMillis, String thread, String requestId, String method, String path, int status,
                        long millis) {
    }

    private final boolean enabled = log.isInfoEnabled();
    private final long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final ConcurrentLinkedQueue<Line> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final StringBuilder batch = new StringBuilder(8192);
    private final Thread writer;
    private volatile boolean closed;

    AccessLog() {
        this.writer = new Thread(this::run, "access-log");
        writer.setDaemon(true);
        if (enabled) {
            writer.start();
        }
    }

    void record(String requestId, String method, String path, int status, long millis) {
        if (!enabled || closed) {
            return;
        }
        if (size.incrementAndGet() > MAX_PENDING) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        pending.offer(new Line(System.currentTimeMillis(), Thread.currentThread().getName(), requestId, method, path,
                status, millis));
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(FLUSH_EVERY_NANOS);
            flush();
        }
        flush();
    }

    /** Writes what has queued up so far; only the writer thread (and close, once it has stopped) calls it. */
    private synchronized void flush() {
        Line line;
        while ((line = pending.poll()) != null) {
            size.decrementAndGet();
            batch.append(line.atMillis() - startMillis).append(" [").append(line.thread()).append("] INFO http - ")
                    .append(line.requestId()).append(' ').append(line.method()).append(' ').append(line.path())
                    .append(' ').append(line.status()).append(' ').append(line.millis()).append("ms\n");
            if (batch.length() >= 64 * 1024) {
                write();
            }
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            batch.append(System.currentTimeMillis() - startMillis).append(" [access-log] WARN http - ").append(lost)
                    .append(" request log lines dropped: the log could not keep up\n");
        }
        write();
    }

    private void write() {
        if (batch.length() == 0) {
            return;
        }
        // Encoded here in one call and written as bytes: printing the text made the stream encode it char by char.
        byte[] bytes = batch.toString().getBytes(STANDARD_ERROR);
        // Looked up at each write, as the logger does, so that a redirected standard error is honoured.
        PrintStream err = System.err;
        err.write(bytes, 0, bytes.length);
        err.flush();
        batch.setLength(0);
    }

    /** Writes the lines still queued and stops the writer. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
