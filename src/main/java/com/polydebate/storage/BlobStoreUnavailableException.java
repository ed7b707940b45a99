package com.polydebate.storage;

/** The configured blob store cannot be used at start-up (for example a bucket that is missing or refuses us). */
public final class BlobStoreUnavailableException extends RuntimeException {
    public BlobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
