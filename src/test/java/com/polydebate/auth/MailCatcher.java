package com.polydebate.auth;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.polydebate.support.FreePort;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An in-process SMTP server (GreenMail, plain SMTP on a free port) whose received mails tests read. */
final class MailCatcher implements AutoCloseable {
    private static final Pattern CODE = Pattern.compile("^\\s+([0-9A-Z]{4,8})\\s*$", Pattern.MULTILINE);

    private final GreenMail greenMail;
    private final int port;

    MailCatcher() {
        this.port = FreePort.any();
        this.greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    int port() {
        return port;
    }

    /** The mails received for one recipient, oldest first. */
    List<MimeMessage> messagesFor(String recipient) {
        return Arrays.asList(greenMail.getReceivedMessagesForDomain(recipient));
    }

    MimeMessage lastFor(String recipient) {
        List<MimeMessage> messages = messagesFor(recipient);
        if (messages.isEmpty()) {
            throw new AssertionError("No mail received for " + recipient);
        }
        return messages.get(messages.size() - 1);
    }

    /** The code set apart on its own indented line of the plain-text part of the newest mail. */
    String lastCodeFor(String recipient) {
        String text = part(lastFor(recipient), "text/plain");
        Matcher matcher = CODE.matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("No code in mail text: " + text);
        }
        return matcher.group(1);
    }

    static String part(Part message, String mimeType) {
        try {
            if (message.isMimeType(mimeType)) {
                return (String) message.getContent();
            }
            if (message.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) message.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart body = multipart.getBodyPart(i);
                    String found = part(body, mimeType);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
