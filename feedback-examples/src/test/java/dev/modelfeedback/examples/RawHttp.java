package dev.modelfeedback.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a plain socket, for what the JDK's client will not send ({@code TRACE},
 * a malformed {@code Host}). The request is sent as given; the answer is read until the server closes
 * the connection, so requests should say {@code Connection: close}.
 */
final class RawHttp {

    /** Generous: a loaded machine may take long, but never this long. */
    private static final int TIMEOUT_MILLIS = 30_000;

    /**
     * The answer.
     *
     * @param status the status code
     * @param headers the header lines, as sent ({@code Name: value})
     * @param body the body, UTF-8
     */
    record Answer(int status, List<String> headers, String body) {

        /** The values of one header, by name in any case. */
        List<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).strip()).toList();
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} (its bytes as ISO-8859-1) to the server at {@code base} and reads the whole answer. */
    static Answer exchange(URI base, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IOException("no complete response head in: " + text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
            byte[] body = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
            return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers,
                    new String(body, StandardCharsets.UTF_8));
        }
    }
}
