package com.polydebate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns the PostgreSQL URL a platform hands out ({@code postgresql://user:pass@host:port/db?sslmode=require},
 * Railway's and Heroku's form, or {@code postgres://…}) into a pgjdbc URL with the credentials as parameters.
 * A {@code jdbc:postgresql:} URL is taken as it is.
 */
final class PostgresUrl {
    private PostgresUrl() {
    }

    static boolean isPostgres(String url) {
        return url.startsWith("postgresql://") || url.startsWith("postgres://") || url.startsWith("jdbc:postgresql:");
    }

    /** The pgjdbc URL, or empty when the URL names no host or no database. */
    static Optional<String> toJdbc(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of(url);
        }
        try {
            URI uri = new URI(url);
            String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
            if (uri.getHost() == null || database.isEmpty()) {
                return Optional.empty();
            }
            StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
            if (uri.getPort() > 0) {
                jdbc.append(':').append(uri.getPort());
            }
            jdbc.append('/').append(database);
            String separator = "?";
            if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
                jdbc.append(separator).append(uri.getRawQuery());
                separator = "&";
            }
            if (uri.getRawUserInfo() != null) {
                String[] credentials = uri.getRawUserInfo().split(":", 2);
                jdbc.append(separator).append("user=").append(reencode(credentials[0]));
                if (credentials.length == 2) {
                    jdbc.append("&password=").append(reencode(credentials[1]));
                }
            }
            return Optional.of(jdbc.toString());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The URL with its password hidden, for messages and the admin debug page. */
    static String redacted(String url) {
        return url.replaceAll("(password=)[^&]*", "$1***").replaceAll("(://[^:/@]+:)[^@]*@", "$1***@");
    }

    private static String reencode(String userInfoPart) {
        return URLEncoder.encode(URLDecoder.decode(userInfoPart, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
