package com.polydebate.auth;

import io.javalin.security.RouteRole;

/**
 * Access levels of §3, attached to routes. A route without a role is public. OWNER means "required";
 * the ownership itself is checked by the service that loads the resource.
 */
public enum Role implements RouteRole {
    OPTIONAL, REQUIRED, OWNER, ADMIN
}
