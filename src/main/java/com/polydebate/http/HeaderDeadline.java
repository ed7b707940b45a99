package com.polydebate.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not completed its first request's headers within the deadline. The idle
 * timeout alone cannot do this: a client sending one byte just inside every idle period keeps a socket (and
 * a parser) forever.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final Duration deadline;

    HeaderDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    @Override
    public void onOpened(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        scheduler.schedule(() -> {
            if (endPoint.isOpen() && connection.getMessagesIn() == 0) {
                endPoint.close();
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
