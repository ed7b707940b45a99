package com.polydebate.debates;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * An SSE response in servlet non-blocking mode (the request is async by then): a write is handed to Jetty and
 * returns at once; {@code isReady()} false means the socket is full, and Jetty calls {@code onWritePossible} when it
 * drains. Frames go to Jetty's {@code HttpOutput.write(ByteBuffer)}, which sends the shared bytes as they are,
 * without copying them into a per-response aggregation buffer.
 */
final class ServletSseConnection implements SseConnection, WriteListener {
    private final HttpServletRequest request;
    private final ServletOutputStream out;
    private volatile SseViewer viewer;

    ServletSseConnection(HttpServletRequest request, ServletOutputStream out) {
        this.request = request;
        this.out = out;
    }

    @Override
    public void start(SseViewer viewer) {
        this.viewer = viewer;
        out.setWriteListener(this);
    }

    @Override
    public boolean ready() {
        return out.isReady();
    }

    @Override
    public void write(ByteBuffer frame) throws IOException {
        if (out instanceof HttpOutput jetty) {
            jetty.write(frame);
        } else {
            out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        }
    }

    @Override
    public void abort() {
        ServletContextRequest.getServletContextRequest(request).getServletChannel().getEndPoint().close();
    }

    @Override
    public void onWritePossible() {
        viewer.writable();
    }

    @Override
    public void onError(Throwable failure) {
        viewer.failed();
    }
}
