package com.polydebate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route Javalin serves is in /api/openapi.json and every documented operation is served. */
class OpenApiDocumentTest {
    private static final Set<String> OPENAPI_METHODS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** "/api/markets/{market_id}" and "/api/markets/<id>" both become "/api/markets/{}". */
    private static String normalise(String path) {
        return path.replaceAll("\\{[^}/]*}", "{}").replaceAll("<[^>/]*>", "{}");
    }

    private static Set<String> registeredOperations() {
        Set<String> operations = new TreeSet<>();
        server.app().javalin().unsafe.internalRouter.allHttpHandlers().forEach(parsed -> {
            Endpoint endpoint = parsed.endpoint;
            HandlerType method = endpoint.method;
            // Swagger UI's static files are plumbing, not API.
            if (method.isHttpMethod() && !endpoint.path.startsWith(DocsRoutes.ASSETS)) {
                operations.add(method.name().toUpperCase(Locale.ROOT) + " " + normalise(endpoint.path));
            }
        });
        return operations;
    }

    private static Set<String> documentedOperations(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (OPENAPI_METHODS.contains(method)) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + normalise(path.getKey()));
            }
        }));
        return operations;
    }

    @Test
    void every_registered_route_is_documented_and_every_documented_route_is_registered() {
        JsonNode document = server.http().get("/api/openapi.json").json();

        Set<String> registered = registeredOperations();
        Set<String> documented = documentedOperations(document);

        assertThat(registered).contains("GET /api/markets", "GET /api/markets/{}", "GET /api/models",
                "GET /api/categories", "GET /api/docs", "GET /api/health");
        assertThat(registered).as("registered but not in /api/openapi.json").isSubsetOf(documented);
        assertThat(documented).as("documented but not registered").isSubsetOf(registered);
    }

    @Test
    void every_reference_in_the_document_resolves() {
        JsonNode document = server.http().get("/api/openapi.json").json();
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(document.at(ref.substring(1)).isMissingNode()).as("dangling " + ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    @Test
    void swagger_ui_page_points_at_the_openapi_document_and_its_files_are_served() {
        TestResponse page = server.http().get("/api/docs");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains(DocsRoutes.ASSETS + "swagger-ui-bundle.js")
                .contains(DocsRoutes.ASSETS + "init.js").doesNotContain("<script>");
        assertThat(page.header("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                .doesNotContain("unsafe-eval");
        TestResponse init = server.http().get(DocsRoutes.ASSETS + "init.js");
        assertThat(init.status()).isEqualTo(200);
        assertThat(init.body()).contains("url: \"/api/openapi.json\"");

        TestResponse bundle = server.http().get(DocsRoutes.ASSETS + "swagger-ui-bundle.js");
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.header("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(bundle.bytes().length).isGreaterThan(100_000);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(server.http().get(DocsRoutes.ASSETS + "swagger-ui.css").status()).isEqualTo(200);
        assertThat(server.http().get(DocsRoutes.ASSETS + "swagger-ui-standalone-preset.js").status()).isEqualTo(200);
    }

    @Test
    void only_the_swagger_ui_files_are_served_from_the_classpath() {
        for (String path : List.of("index.html", "..%2F..%2Fapplication.properties", "swagger-initializer.js",
                "%2E%2E%2Fpom.xml")) {
            TestResponse response = server.http().get(DocsRoutes.ASSETS + path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("not_found");
        }
    }
}
