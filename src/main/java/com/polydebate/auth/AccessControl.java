package com.polydebate.auth;

import com.polydebate.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import io.javalin.security.RouteRole;
import io.javalin.security.Roles;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The single authentication step (the router's handler wrapper, see {@link #wrap}): reads the route's {@link Role},
 * resolves the bearer token to an active user, and stores it for the handler ({@link #user(Context)}).
 */
public final class AccessControl {
    private static final String USER_ATTRIBUTE = "auth-user";
    private static final String CLAIMS_ATTRIBUTE = "auth-claims";

    private final TokenService tokens;
    private final Jdbi jdbi;

    public AccessControl(TokenService tokens, Jdbi jdbi) {
        this.tokens = tokens;
        this.jdbi = jdbi;
    }

    /**
     * The route's handler, behind {@link #check} when the route names roles. As the router's handler wrapper rather
     * than a {@code beforeMatched} filter: that filter made Javalin run a task of its own on every request and extract
     * the path parameters of a route twice.
     */
    public Handler wrap(Endpoint endpoint) {
        Roles roles = endpoint.metadata(Roles.class);
        if (roles == null || roles.getRoles().isEmpty()) {
            return endpoint.handler;
        }
        Set<RouteRole> required = roles.getRoles();
        Handler handler = endpoint.handler;
        return ctx -> {
            check(required, ctx);
            handler.handle(ctx);
        };
    }

    private void check(Set<RouteRole> roles, Context ctx) {
        if (roles.contains(Role.OPTIONAL)) {
            resolve(ctx);
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ") || header.substring(7).isBlank()) {
            throw new ApiException(401, "unauthorized", "Authentication required");
        }
        User user = resolve(ctx).orElseThrow(
                () -> new ApiException(401, "unauthorized", "Invalid or expired token"));
        if (roles.contains(Role.ADMIN) && !user.isAdmin()) {
            throw new ApiException(403, "forbidden", "Administrator access required");
        }
    }

    /** Resolves the bearer token to an active user whose token was not signed out, and keeps both on ctx. */
    private Optional<User> resolve(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.empty();
        }
        Optional<TokenService.Claims> claims = tokens.verify(header.substring(7).trim());
        Optional<User> user = claims
                .flatMap(c -> jdbi.onDemand(UserDao.class).findBySession(c.userId(), c.jti()))
                .filter(User::isActive);
        user.ifPresent(u -> {
            ctx.attribute(USER_ATTRIBUTE, u);
            ctx.attribute(CLAIMS_ATTRIBUTE, claims.get());
        });
        return user;
    }

    /** The verified token of an authenticated request (for signing it out). */
    static TokenService.Claims claims(Context ctx) {
        TokenService.Claims claims = ctx.attribute(CLAIMS_ATTRIBUTE);
        if (claims == null) {
            throw new IllegalStateException("No verified token on " + ctx.path() + "; is the route's role set?");
        }
        return claims;
    }

    /** The authenticated user of a REQUIRED, OWNER or ADMIN route. */
    public static User user(Context ctx) {
        User user = ctx.attribute(USER_ATTRIBUTE);
        if (user == null) {
            throw new IllegalStateException("No authenticated user on " + ctx.path() + "; is the route's role set?");
        }
        return user;
    }

    /** The user of an OPTIONAL route, when a valid token was sent. */
    public static Optional<User> optionalUser(Context ctx) {
        return Optional.ofNullable(ctx.attribute(USER_ATTRIBUTE));
    }
}
