package com.polydebate.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.auth.AccessControl;
import com.polydebate.auth.Role;
import com.polydebate.auth.UserView;
import com.polydebate.http.Bodies;
import com.polydebate.http.ClientIp;
import com.polydebate.http.Inputs;
import com.polydebate.http.JsonResponses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** The admin endpoints of §17; every route but the login requires {@link Role#ADMIN}. */
final class AdminRoutes {
    private final AdminService service;
    private final Bodies bodies;

    AdminRoutes(AdminService service, Bodies bodies) {
        this.service = service;
        this.bodies = bodies;
    }

    record LoginBody(boolean success, String token, UserView user) {
    }

    record ListBody<T>(boolean success, List<T> data) {
    }

    record DataBody(boolean success, Object data) {
    }

    record MessageBody(boolean success, String message) {
    }

    void register(RoutesConfig routes) {
        routes.post("/api/admin/login", this::login);
        routes.get("/api/admin/users", ctx -> JsonResponses.send(ctx, new ListBody<>(true, service.users())),
                Role.ADMIN);
        routes.delete("/api/admin/users/{user_id}", this::deactivate, Role.ADMIN);
        routes.get("/api/admin/debates", ctx -> JsonResponses.send(ctx, new ListBody<>(true, service.debates())),
                Role.ADMIN);
        routes.get("/api/admin/analytics", ctx -> JsonResponses.send(ctx, new DataBody(true, service.analytics())),
                Role.ADMIN);
        routes.get("/api/admin/debug", ctx -> JsonResponses.send(ctx, new DataBody(true, service.debug())), Role.ADMIN);
    }

    private void login(Context ctx) {
        ObjectNode body = bodies.object(ctx);
        AdminService.Login login = service.login(Inputs.text(body, "email"), Inputs.text(body, "password"),
                ClientIp.of(ctx));
        JsonResponses.send(ctx, new LoginBody(true, login.token(), login.user()));
    }

    private void deactivate(Context ctx) {
        service.deactivate(AccessControl.user(ctx), ctx.pathParam("user_id"));
        JsonResponses.send(ctx, new MessageBody(true, "User has been deactivated"));
    }
}
