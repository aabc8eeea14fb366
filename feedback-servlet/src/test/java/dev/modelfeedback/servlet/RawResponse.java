package dev.modelfeedback.servlet;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 response read off a raw socket, up to the end of its body (by
 * {@code Content-Length}), so that a test can read it without waiting for the connection to close.
 *
 * @param status the status code
 * @param head the status line and headers, as sent
 * @param body the body, UTF-8
 */
record RawResponse(int status, String head, String body) {

    /** Whether the response says the connection closes after it. */
    boolean closes() {
        return head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
    }

    static RawResponse read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended inside the response head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the connection ended inside the response body");
        }
        return new RawResponse(Integer.parseInt(text.substring(9, 12)), text, new String(body, StandardCharsets.UTF_8));
    }
}
