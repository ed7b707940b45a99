package com.polydebate.docs;

import com.polydebate.http.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.Map;

/**
 * Swagger UI at {@code GET /api/docs}, reading {@code /api/openapi.json}. The UI's files come from the
 * swagger-ui webjar on the classpath; only the files the page needs are served, by exact name, so the
 * route cannot be used to read other classpath resources.
 */
public final class DocsRoutes {
    /** Where the webjar keeps its files; the version is pinned in the pom. */
    static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/5.31.0/";
    static final String ASSETS = "/api/docs/assets/";

    private static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "index.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-16x16.png", "image/png",
            "favicon-32x32.png", "image/png");

    /** The page's own start-up script, served as a file so that the policy needs no inline script. */
    private static final String INIT_SCRIPT_NAME = "init.js";
    private static final String INIT_SCRIPT = """
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                url: "/api/openapi.json",
                dom_id: "#swagger-ui",
                deepLinking: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                layout: "StandaloneLayout"
              });
            };
            """;

    /**
     * Swagger UI needs its own scripts and styles (it sets inline styles), data: images from its CSS and
     * fetches of the OpenAPI document: all from this origin, nothing else.
     */
    static final String DOCS_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final String INDEX = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="UTF-8">
              <title>PolyDebate API</title>
              <link rel="stylesheet" href="%1$sswagger-ui.css">
              <link rel="stylesheet" href="%1$sindex.css">
              <link rel="icon" type="image/png" href="%1$sfavicon-32x32.png" sizes="32x32">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="%1$sswagger-ui-bundle.js" charset="UTF-8"></script>
              <script src="%1$sswagger-ui-standalone-preset.js" charset="UTF-8"></script>
              <script src="%1$s%2$s" charset="UTF-8"></script>
            </body>
            </html>
            """.formatted(ASSETS, INIT_SCRIPT_NAME);

    public void register(RoutesConfig routes) {
        routes.get("/api/docs", ctx -> ctx.header("Content-Security-Policy", DOCS_POLICY)
                .contentType("text/html; charset=utf-8").result(INDEX));
        routes.get(ASSETS + "{file}", this::asset);
    }

    private void asset(Context ctx) {
        String file = ctx.pathParam("file");
        if (file.equals(INIT_SCRIPT_NAME)) {
            ctx.header("Cache-Control", "public, max-age=86400");
            ctx.contentType("text/javascript; charset=utf-8").result(INIT_SCRIPT);
            return;
        }
        String type = FILES.get(file);
        InputStream in = type == null ? null : DocsRoutes.class.getClassLoader().getResourceAsStream(WEBJAR + file);
        if (in == null) {
            throw ApiException.notFound("not_found", "No such documentation file");
        }
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.contentType(type).result(in);
    }
}
