package com.polydebate.debates;

/** A model turn that produced no usable answer; {@code errorType} is one of §10.4's error types. */
final class ModelCallException extends Exception {
    static final String RATE_LIMIT = "rate_limit";
    static final String TIMEOUT = "timeout";
    static final String INVALID_RESPONSE = "invalid_response";
    static final String ERROR = "error";

    private final String errorType;

    ModelCallException(String errorType, String technical) {
        super(technical);
        this.errorType = errorType;
    }

    String errorType() {
        return errorType;
    }
}
