package com.polydebate.auth;

import com.polydebate.auth.CodeMailer.CodeMail;
import com.polydebate.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Renders the code e-mails from the resources {@code email/{signup,login}.{txt,html}}: {@code {{name}}}
 * placeholders replaced in one pass, values HTML-escaped in the HTML part (the name is user input).
 */
final class EmailTemplates {
    private final String appName;
    private final String supportEmail;
    private final Map<String, String> templates;

    EmailTemplates(Config config) {
        this.appName = config.appName();
        this.supportEmail = config.supportEmail();
        this.templates = Map.of(
                "signup.txt", load("signup.txt"), "signup.html", load("signup.html"),
                "login.txt", load("login.txt"), "login.html", load("login.html"));
    }

    record Rendered(String subject, String text, String html) {
    }

    Rendered render(CodeMail mail) {
        boolean signup = mail.kind() == CodeMail.Kind.SIGNUP;
        String base = signup ? "signup" : "login";
        String greeting = mail.name() != null && !mail.name().isBlank() ? "Hello " + mail.name() + "," : "Hello,";
        Map<String, String> values = Map.of(
                "app_name", appName,
                "greeting", greeting,
                "code", mail.code(),
                "expiry_minutes", Integer.toString(mail.expiryMinutes()),
                "support_email", supportEmail);
        String subject = signup ? appName + ": confirm your email" : appName + ": your login code";
        return new Rendered(subject,
                fill(templates.get(base + ".txt"), values, false),
                fill(templates.get(base + ".html"), values, true));
    }

    static String fill(String template, Map<String, String> values, boolean html) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("{{", i);
            int close = open < 0 ? -1 : template.indexOf("}}", open + 2);
            if (open < 0 || close < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open);
            String key = template.substring(open + 2, close).trim();
            String value = values.get(key);
            if (value == null) {
                throw new IllegalStateException("E-mail template uses unknown placeholder " + key);
            }
            out.append(html ? escapeHtml(value) : value);
            i = close + 2;
        }
        return out.toString();
    }

    static String escapeHtml(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String load(String name) {
        String resource = "email/" + name;
        try (InputStream in = EmailTemplates.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing e-mail template " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
