package com.polydebate.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.debates.DailyQuota;
import com.polydebate.http.Bodies;
import com.polydebate.http.ClientIp;
import com.polydebate.http.Inputs;
import com.polydebate.http.JsonResponses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;

/** The auth endpoints of §14.1–14.7. */
final class AuthRoutes {
    private final AuthService service;
    private final DailyQuota quota;
    private final Bodies bodies;

    AuthRoutes(AuthService service, DailyQuota quota, Bodies bodies) {
        this.service = service;
        this.quota = quota;
        this.bodies = bodies;
    }

    record CodeSent(boolean success, String message, int expiryMinutes) {
    }

    record SessionData(UserView user, String token) {
    }

    record SessionBody(boolean success, String message, SessionData data) {
    }

    record LoggedOut(boolean success, String message) {
    }

    record UserData(UserView user) {
    }

    record MeBody(boolean success, UserData data) {
    }

    record ProfileUpdated(boolean success, String message, UserData data) {
    }

    record Limits(int dailyLimit, int remainingDebates, String resetsAt, Instant nextResetAt) {
    }

    void register(RoutesConfig routes) {
        routes.post("/api/auth/signup/request-code", this::signupRequest);
        routes.post("/api/auth/signup/verify-code", this::signupVerify);
        routes.post("/api/auth/login/request-code", this::loginRequest);
        routes.post("/api/auth/login/verify-code", this::loginVerify);
        routes.post("/api/auth/logout", this::logout, Role.REQUIRED);
        routes.get("/api/auth/me", this::me, Role.REQUIRED);
        routes.put("/api/auth/me", this::updateMe, Role.REQUIRED);
        routes.get("/api/auth/limits", this::limits, Role.REQUIRED);
    }

    private void signupRequest(Context ctx) {
        ObjectNode body = bodies.object(ctx);
        service.requestSignupCode(Inputs.text(body, "email"), Inputs.text(body, "name"), ClientIp.of(ctx));
        JsonResponses.send(ctx, new CodeSent(true, "We sent a verification code to your email",
                service.expiryMinutes()));
    }

    private void loginRequest(Context ctx) {
        ObjectNode body = bodies.object(ctx);
        service.requestLoginCode(Inputs.text(body, "email"), ClientIp.of(ctx));
        JsonResponses.send(ctx, new CodeSent(true, "We sent a verification code to your email",
                service.expiryMinutes()));
    }

    private void signupVerify(Context ctx) {
        ObjectNode body = bodies.object(ctx);
        AuthService.Session session = service.verifySignup(Inputs.text(body, "email"), Inputs.text(body, "code"));
        JsonResponses.send(ctx.status(201),
                new SessionBody(true, "Account created", new SessionData(session.user(), session.token())));
    }

    private void loginVerify(Context ctx) {
        ObjectNode body = bodies.object(ctx);
        AuthService.Session session = service.verifyLogin(Inputs.text(body, "email"), Inputs.text(body, "code"));
        JsonResponses.send(ctx, new SessionBody(true, "Logged in", new SessionData(session.user(), session.token())));
    }

    private void logout(Context ctx) {
        service.logout(AccessControl.claims(ctx));
        JsonResponses.send(ctx, new LoggedOut(true, "Logged out"));
    }

    private void me(Context ctx) {
        JsonResponses.send(ctx, new MeBody(true, new UserData(service.view(AccessControl.user(ctx)))));
    }

    private void updateMe(Context ctx) {
        ObjectNode body = bodies.objectOrEmpty(ctx);
        UserView user = service.updateProfile(AccessControl.user(ctx), Inputs.text(body, "name"));
        JsonResponses.send(ctx, new ProfileUpdated(true, "Profile updated", new UserData(user)));
    }

    private void limits(Context ctx) {
        User user = AccessControl.user(ctx);
        JsonResponses.send(ctx, new Limits(quota.limit(), quota.remaining(user), "midnight UTC", quota.nextReset()));
    }
}
