package com.polydebate.auth;

import io.javalin.http.Context;

/** The client address used in rate-limit keys (§14.8): first X-Forwarded-For entry, X-Real-IP, socket. */
public final class ClientIp {
    private ClientIp() {
    }

    public static String of(Context ctx) {
        return of(ctx.header("X-Forwarded-For"), ctx.header("X-Real-IP"), ctx.ip());
    }

    static String of(String forwardedFor, String realIp, String socketAddress) {
        if (forwardedFor != null) {
            String first = forwardedFor.split(",", 2)[0].trim();
            if (!first.isEmpty()) {
                return first;
            }
        }
        if (realIp != null && !realIp.isBlank()) {
            return realIp.trim();
        }
        return socketAddress;
    }
}
