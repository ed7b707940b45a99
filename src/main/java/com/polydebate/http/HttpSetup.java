package com.polydebate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.Config;
import com.polydebate.db.StorageHealth;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-cutting HTTP behaviour every route shares: request ids and the request log, CORS, body-size
 * limits, no-store caching and one mapping from every failure to the contract's error body. It runs on every
 * request, so its headers are encoded once and its log line is written off the request thread.
 */
public final class HttpSetup {
    private static final Logger log = LoggerFactory.getLogger("http");
    public static final long MAX_MULTIPART_BYTES = 6L * 1024 * 1024;
    private static final long DRAIN_LIMIT_BYTES = 4 * MAX_MULTIPART_BYTES;
    private static final String REQUEST_ID = "request-id";
    /**
     * Connections waiting to be accepted. The JDK's default backlog of 50 made a burst of new connections (1,000
     * clients opening at once) lose SYNs, and those clients waited a second or more for the retransmission.
     */
    private static final int ACCEPT_QUEUE = 1024;

    private final Config config;
    private final Cors cors;
    private final ErrorBodies errors;
    private final ClientIp clientIp;
    private final SecurityHeaders securityHeaders;
    private final StorageHealth storage;
    private final ObjectMapper mapper;
    private final RequestMetrics metrics;
    private final RequestIds requestIds;
    private final AccessLog accessLog = new AccessLog();

    public HttpSetup(Config config, Clock clock, StorageHealth storage, ObjectMapper mapper, RequestMetrics metrics,
                     RandomGenerator random) {
        this.config = config;
        this.cors = new Cors(config);
        this.errors = new ErrorBodies(clock);
        this.clientIp = new ClientIp(config);
        this.securityHeaders = new SecurityHeaders(config);
        this.storage = storage;
        this.mapper = mapper;
        this.metrics = metrics;
        this.requestIds = new RequestIds(random);
    }

    public void apply(JavalinConfig javalin) {
        javalin.http.prefer405over404 = true;
        javalin.http.maxRequestSize = MAX_MULTIPART_BYTES;
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.appData(ClientIp.KEY, clientIp);
        javalin.jetty.threadPool = RequestThreads.pool(config.httpMaxThreads());
        javalin.jetty.modifyServletContextHandler(context -> context.setSessionHandler(new NoSessions()));
        javalin.jetty.modifyServer(server -> {
            // Javalin puts a StatisticsHandler in front of its servlet context; nothing here reads its counters, and
            // it wrapped every request and response and took a completion callback on each.
            if (server.getHandler() instanceof StatisticsHandler statistics) {
                server.setHandler(statistics.getHandler());
            }
            server.setErrorHandler(new JettyErrors(errors, cors, securityHeaders, mapper));
            // Javalin adds its connector after this and before the server starts, which opens it.
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector connector : server.getConnectors()) {
                        if (connector instanceof ServerConnector network) {
                            network.setAcceptQueueSize(ACCEPT_QUEUE);
                        }
                    }
                }
            });
        });
        javalin.requestLogger.http((ctx, ms) -> {
            accessLog.record(ctx.attribute(REQUEST_ID), ctx.method().name(), ctx.path(), ctx.statusCode(),
                    Math.round(ms));
            metrics.record(ctx, ms);
        });

        javalin.routes.before(ctx -> {
            String requestId = requestIds.next();
            ctx.attribute(REQUEST_ID, requestId);
            HttpFields.Mutable headers = ServletContextResponse.getServletContextResponse(ctx.res()).getHeaders();
            headers.add(new HttpField(null, "X-Request-Id", requestId));
            securityHeaders.addTo(headers);
            cors.decorate(ctx);
            if (ctx.method() == HandlerType.OPTIONS) {
                cors.preflight(ctx);
                ctx.skipRemainingHandlers();
                return;
            }
            rejectOversizedBody(ctx);
        });

        javalin.routes.exception(ApiException.class, (e, ctx) -> {
            discardUnreadBody(ctx);
            errors.write(ctx, e);
        });
        javalin.routes.exception(HttpResponseException.class, (e, ctx) -> {
            discardUnreadBody(ctx);
            errors.write(ctx, translate(e));
        });
        javalin.routes.exception(Exception.class, (e, ctx) -> {
            if (StorageHealth.isStorageFailure(e)) {
                storage.recordFailure();
                log.error("Storage cannot take writes on {} {}", ctx.method(), ctx.path(), e);
                errors.write(ctx, new ApiException(503, "storage_unavailable",
                        "The server cannot store data right now; please try again later"));
                return;
            }
            log.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
            String message = config.isProduction() || e.getMessage() == null
                    ? "An unexpected error occurred" : "An unexpected error occurred: " + e.getMessage();
            errors.write(ctx, new ApiException(500, "internal_error", message));
        });
    }

    /** Writes the request log lines still queued. */
    public void close() {
        accessLog.close();
    }

    /**
     * Connector limits against slow clients, applied once Jetty has its connectors: an idle connection is
     * closed after {@code HTTP_IDLE_TIMEOUT_SECONDS} (SSE streams send keep-alives well within it), and a new
     * connection must deliver its first request's headers within {@code HTTP_HEADER_TIMEOUT_SECONDS}, however
     * slowly it trickles bytes.
     */
    public void limitSlowClients(Server server) {
        Duration headerTimeout = Duration.ofSeconds(config.httpHeaderTimeoutSeconds());
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector network) {
                network.setIdleTimeout(Duration.ofSeconds(config.httpIdleTimeoutSeconds()).toMillis());
                network.addBean(new HeaderDeadline(network.getScheduler(), headerTimeout));
            }
        }
    }

    private static void rejectOversizedBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length <= Math.min(Bodies.MAX_JSON_BYTES, MAX_MULTIPART_BYTES)) {
            return;
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        long limit = type.startsWith("multipart/") ? MAX_MULTIPART_BYTES : Bodies.MAX_JSON_BYTES;
        if (length > limit) {
            drain(ctx, length);
            throw type.startsWith("multipart/")
                    ? new ApiException(413, "payload_too_large", "The upload is too large (at most 6 MiB)")
                    : Bodies.tooLarge();
        }
    }

    /**
     * Reads and discards a moderately oversized body before answering 413: answering while the client is
     * still sending makes Jetty drop the connection, and the client then sees no answer at all.
     */
    private static void drain(Context ctx, long length) {
        if (length > DRAIN_LIMIT_BYTES) {
            ctx.header("Connection", "close");
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            log.debug("Client stopped sending an oversized body", e);
        }
    }

    /**
     * An error thrown before the handler read the body (the auth step's 401, say) leaves it unread; like
     * {@link #drain}, consume it first so that Jetty keeps the connection and the client gets the answer.
     * A body already read leaves nothing to consume.
     */
    private static void discardUnreadBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length <= 0 || length > DRAIN_LIMIT_BYTES) {
            return;
        }
        try {
            ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | IllegalStateException e) {
            log.debug("Request body could not be discarded", e);
        }
    }

    private static ApiException translate(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> new ApiException(404, "not_found", "No such API route");
            case 405 -> new ApiException(405, "method_not_allowed", "This method is not allowed on this route");
            case 413 -> new ApiException(413, "payload_too_large", "The request body is too large");
            case 400 -> new ApiException(400, "validation_error", e.getMessage(), Map.copyOf(e.getDetails()));
            default -> new ApiException(e.getStatus(), e.getStatus() >= 500 ? "internal_error" : "bad_request",
                    e.getMessage());
        };
    }
}
