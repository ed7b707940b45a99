package com.polydebate.http;

import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Javalin's servlet context always has a session handler, which on every request wrapped the response stream, looked
 * for a session id in the cookies and touched the session. This API keeps no server sessions (the bearer token
 * travels in {@code Authorization}, contract §1), so in its place this one hands the request straight on.
 */
final class NoSessions extends SessionHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        return next != null && next.handle(request, response, callback);
    }
}
