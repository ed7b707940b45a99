package com.polydebate.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered in the contract's format (§2). {@code errorExtras} are added inside {@code error}
 * (for example {@code remaining}); {@code topLevelExtras} next to it (for example {@code remaining_debates}).
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> details;
    private final Map<String, Object> errorExtras;
    private final Map<String, Object> topLevelExtras;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of(), Map.of(), Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> details) {
        this(status, code, message, details, Map.of(), Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> details,
                        Map<String, Object> errorExtras, Map<String, Object> topLevelExtras) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = new LinkedHashMap<>(details);
        this.errorExtras = new LinkedHashMap<>(errorExtras);
        this.topLevelExtras = new LinkedHashMap<>(topLevelExtras);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    /** 400 validation_error whose message joins every field problem: "rounds: must be ...; model_ids: ...". */
    public static ApiException validation(Map<String, String> fieldProblems) {
        StringBuilder message = new StringBuilder();
        fieldProblems.forEach((field, problem) -> {
            if (message.length() > 0) {
                message.append("; ");
            }
            message.append(field).append(": ").append(problem);
        });
        return new ApiException(400, "validation_error", message.toString(), fieldProblems);
    }

    /**
     * 400 validation_error for a form whose problems are sentences the user reads as they are, so the message
     * joins only the sentences: "Enter a valid email address. Name is required".
     */
    public static ApiException invalidForm(Map<String, String> sentences) {
        return new ApiException(400, "validation_error", String.join(". ", sentences.values()), sentences);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> details() {
        return details;
    }

    public Map<String, Object> errorExtras() {
        return errorExtras;
    }

    public Map<String, Object> topLevelExtras() {
        return topLevelExtras;
    }
}
