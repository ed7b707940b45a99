package com.polydebate.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http refuses or rewrites: bytes that are not UTF-8 in the path,
 * headers over the server's limit, methods with odd bodies. The request is written on its own thread while the
 * answer is read, so an answer the server sends before reading everything is still seen.
 */
final class RawSocket {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int READ_TIMEOUT_MILLIS = 15_000;

    /** Status, headers (names case-insensitive) and body of an answer. */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (status " + status + "): " + body, e);
            }
        }
    }

    private RawSocket() {
    }

    /** Sends {@code request} as it is (ISO-8859-1 bytes, so "%C0" stays three bytes) and reads one answer. */
    static Answer send(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // the server answered and stopped reading; the answer is what the test looks at
                }
            }, "raw-socket-writer");
            writer.setDaemon(true);
            writer.start();
            return parse(readAnswer(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request head ending the headers, with a JSON body for methods that carry one. */
    static String request(String method, String path, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        boolean hasBody = List.of("POST", "PUT", "PATCH").contains(method);
        if (hasBody) {
            head.append("Content-Type: application/json\r\nContent-Length: 2\r\n");
        }
        return head.append("\r\n").append(hasBody ? "{}" : "").toString();
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
            throw new IllegalStateException("No HTTP answer: " + text);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = new String(raw, headEnd + 4, raw.length - headEnd - 4, StandardCharsets.UTF_8);
        return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers, body);
    }

    /** Reads the head and a Content-Length body, or up to the end of the stream without one. */
    private static byte[] readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int contentLength = -1;
        int headEnd = -1;
        byte[] buffer = new byte[8192];
        while (headEnd < 0 || contentLength < 0 || bytes.size() < headEnd + 4 + contentLength) {
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new IllegalStateException("No complete answer within " + READ_TIMEOUT_MILLIS + " ms: "
                        + bytes.toString(StandardCharsets.ISO_8859_1), e);
            }
            if (read < 0) {
                break;
            }
            bytes.write(buffer, 0, read);
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                for (String line : text.substring(0, headEnd).split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
            }
        }
        return bytes.toByteArray();
    }
}
