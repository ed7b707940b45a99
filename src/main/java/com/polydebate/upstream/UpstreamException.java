package com.polydebate.upstream;

/** An upstream call failed before producing an HTTP answer (connection error, timeout, interrupted). */
public final class UpstreamException extends RuntimeException {
    private final boolean timeout;

    UpstreamException(String message, Throwable cause, boolean timeout) {
        super(message, cause);
        this.timeout = timeout;
    }

    public boolean isTimeout() {
        return timeout;
    }
}
