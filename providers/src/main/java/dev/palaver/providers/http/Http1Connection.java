package dev.palaver.providers.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection (plain or TLS) read and written with blocking calls, meant for a virtual thread:
 * a blocked read parks the virtual thread, and the bytes reach the reader with one wake-up. Lines are
 * bounded (a header line longer than {@link #MAX_LINE} is a protocol error). Not thread-safe, except
 * {@link #abort()}, which any thread may call to break a blocked read or write.
 */
final class Http1Connection implements AutoCloseable {

    static final int MAX_LINE = 16 * 1024;

    private final Http1Pool.Key key;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long idleSince;

    private Http1Connection(Http1Pool.Key key, Socket socket) throws IOException {
        this.key = key;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    /** Connects (and for https shakes hands) within {@code timeout}; a timeout is an {@link HttpConnectTimeoutException}. */
    static Http1Connection open(Http1Pool.Key key, Duration timeout) throws IOException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            try {
                plain.connect(new InetSocketAddress(key.host(), key.port()), millis);
            } catch (SocketTimeoutException e) {
                throw new HttpConnectTimeoutException("connect timed out");
            }
            if (!key.tls()) {
                return new Http1Connection(key, plain);
            }
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, key.host(), key.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            if (!Character.isDigit(key.host().charAt(0)) && key.host().indexOf(':') < 0) {
                parameters.setServerNames(List.of(new SNIHostName(key.host())));
            }
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(millis);
            try {
                tls.startHandshake();
            } catch (SocketTimeoutException e) {
                tls.close();
                throw new HttpConnectTimeoutException("TLS handshake timed out");
            }
            tls.setSoTimeout(0);
            return new Http1Connection(key, tls);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    Http1Pool.Key key() {
        return key;
    }

    void markIdle(long now) {
        idleSince = now;
    }

    long idleSince() {
        return idleSince;
    }

    /** Bounds the next reads; 0 waits forever. A read past it throws {@link SocketTimeoutException}. */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(timeout == null ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** A CRLF- (or LF-) terminated line without its terminator, ISO-8859-1. */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("header line too long");
            }
            line.append((char) b);
        }
    }

    /** Up to {@code max} bytes, as soon as at least one is available; -1 at the end of the stream. */
    int read(byte[] buffer, int max) throws IOException {
        return in.read(buffer, 0, Math.min(max, buffer.length));
    }

    /** Breaks a blocked read or write from another thread; the connection is not reusable after it. */
    void abort() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that is wanted.
        }
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        abort();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
