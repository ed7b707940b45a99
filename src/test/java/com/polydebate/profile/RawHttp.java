package com.polydebate.profile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket for uploads the server refuses before reading them: the body is written
 * on a separate thread while the answer is read, so an early answer is seen even if the server then
 * stops reading.
 */
final class RawHttp {
    /** Status code and body of the answer. */
    record Answer(int status, String body) {
    }

    private RawHttp() {
    }

    static Answer send(int port, String head, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading after answering; that is what the test provokes
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            String answer = readAnswer(socket.getInputStream());
            int status = Integer.parseInt(answer.substring(9, 12));
            int bodyStart = answer.indexOf("\r\n\r\n");
            return new Answer(status, bodyStart < 0 ? "" : answer.substring(bodyStart + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the head and a Content-Length body (the error answers here are small JSON documents). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int contentLength = -1;
        int headEnd = -1;
        byte[] buffer = new byte[8192];
        while (true) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            bytes.write(buffer, 0, read);
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                for (String line : text.substring(0, headEnd).split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
            }
            if (headEnd >= 0 && contentLength >= 0 && bytes.size() >= headEnd + 4 + contentLength) {
                break;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
