package dev.palaver.providers.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response body off a connection by its framing (RFC 9112 section 6.3): none (HEAD, 1xx,
 * 204, 304), chunked, {@code Content-Length}, or until the server closes. Bytes go to the sink as soon as
 * the socket has them — a chunk is not awaited whole — so a streamed event reaches its reader when it
 * arrives. A body cut short is an {@link EOFException}.
 */
final class Http1Body {

    /** How the body ended. */
    enum End {
        /** Read to its end; the connection may serve another request. */
        REUSABLE,
        /** Read to its end, which was the connection's end (or the server asked to close). */
        CLOSE,
        /** The sink stopped it. */
        STOPPED
    }

    /** Takes body bytes; false stops the body. */
    interface Sink {
        boolean accept(ByteBuffer bytes);
    }

    private static final int CHUNK = 16 * 1024;
    private static final int MAX_TRAILERS = 64;

    private final Http1Connection connection;
    private final String method;
    private final int status;
    private final HttpHeaders headers;
    private final byte[] buffer = new byte[CHUNK];

    Http1Body(Http1Connection connection, String method, int status, HttpHeaders headers) {
        this.connection = connection;
        this.method = method;
        this.status = status;
        this.headers = headers;
    }

    End stream(Sink sink) throws IOException {
        boolean close = headers.allValues("connection").stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
        if ("HEAD".equalsIgnoreCase(method) || status / 100 == 1 || status == 204 || status == 304) {
            return close ? End.CLOSE : End.REUSABLE;
        }
        String encoding = headers.firstValue("transfer-encoding").orElse("").toLowerCase(Locale.ROOT);
        if (encoding.contains("chunked")) {
            return chunked(sink) ? (close ? End.CLOSE : End.REUSABLE) : End.STOPPED;
        }
        if (!encoding.isEmpty()) {
            return untilClosed(sink) ? End.CLOSE : End.STOPPED;
        }
        var length = headers.firstValue("content-length");
        if (length.isPresent()) {
            long n;
            try {
                n = Long.parseLong(length.get().strip());
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length");
            }
            if (n < 0) {
                throw new IOException("bad Content-Length");
            }
            return fixed(n, sink) ? (close ? End.CLOSE : End.REUSABLE) : End.STOPPED;
        }
        return untilClosed(sink) ? End.CLOSE : End.STOPPED;
    }

    private boolean fixed(long length, Sink sink) throws IOException {
        long left = length;
        while (left > 0) {
            int n = connection.read(buffer, (int) Math.min(CHUNK, left));
            if (n < 0) {
                throw new EOFException("the body ended early");
            }
            left -= n;
            if (!sink.accept(ByteBuffer.wrap(Arrays.copyOf(buffer, n)))) {
                return false;
            }
        }
        return true;
    }

    private boolean chunked(Sink sink) throws IOException {
        while (true) {
            String line = connection.readLine();
            int semicolon = line.indexOf(';');
            String size = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
            long n;
            try {
                n = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size");
            }
            if (n < 0) {
                throw new IOException("bad chunk size");
            }
            if (n == 0) {
                trailers();
                return true;
            }
            if (!fixed(n, sink)) {
                return false;
            }
            if (!connection.readLine().isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private void trailers() throws IOException {
        for (int i = 0; i <= MAX_TRAILERS; i++) {
            if (connection.readLine().isEmpty()) {
                return;
            }
        }
        throw new IOException("too many trailers");
    }

    private boolean untilClosed(Sink sink) throws IOException {
        while (true) {
            int n = connection.read(buffer, CHUNK);
            if (n < 0) {
                return true;
            }
            if (!sink.accept(ByteBuffer.wrap(Arrays.copyOf(buffer, n)))) {
                return false;
            }
        }
    }
}
