package com.polydebate.http;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The listen backlog of Jetty's connectors. Jetty leaves it to the JDK default (50): a crowd of SSE viewers arriving
 * at once (a shared debate link) overflows it, and the kernel then drops their connection attempts, which wait a
 * second or more for a retransmission or fail. The connectors only exist once Javalin starts the server, and the
 * backlog is taken when they open, so it is set as the server starts.
 */
public final class AcceptQueue {
    static final int SIZE = 1024;

    private AcceptQueue() {
    }

    public static void raise(Server server) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    if (connector instanceof ServerConnector network) {
                        network.setAcceptQueueSize(SIZE);
                    }
                }
            }
        });
    }
}
