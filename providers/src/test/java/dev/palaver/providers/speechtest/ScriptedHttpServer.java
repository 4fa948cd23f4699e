package dev.palaver.providers.speechtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on 127.0.0.1 that answers each request with a script, byte by byte: statuses,
 * fixed-length or chunked bodies, bodies cut short, stalls that hold the connection until the client
 * gives up. One connection per request ({@code Connection: close}), so "no connection left open" means
 * {@link #openConnections()} returns to zero: the server only lets go of a held connection when the client
 * closes it.
 */
public final class ScriptedHttpServer implements AutoCloseable {

    /** A request as received. Header names are lower case. */
    public record Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.getFirst();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        public String query() {
            int q = target.indexOf('?');
            return q < 0 ? "" : target.substring(q + 1);
        }
    }

    @FunctionalInterface
    public interface Script {
        void respond(Request request, Exchange exchange) throws Exception;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> handlers = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger clientClosed = new AtomicInteger();
    private volatile Script script;
    private volatile boolean stopped;

    public ScriptedHttpServer(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().name("scripted-http-accept").daemon().start(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:port}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    public void script(Script s) {
        script = s;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Connections accepted and not yet finished. */
    public int openConnections() {
        return open.get();
    }

    /** Connections whose client closed them while the server was holding them. */
    public int closedByClient() {
        return clientClosed.get();
    }

    /** Waits until no connection is open; false if some still is at the deadline. */
    public boolean awaitNoOpenConnections(Duration within) throws InterruptedException {
        return Await.until(within, () -> open.get() == 0);
    }

    @Override
    public void close() throws IOException {
        stopped = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            acceptor.join(Duration.ofSeconds(5));
            for (Thread t : handlers) {
                t.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!stopped) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            open.incrementAndGet();
            sockets.add(socket);
            handlers.add(Thread.ofPlatform().name("scripted-http-conn").daemon().start(() -> handle(socket)));
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            Request request = read(socket.getInputStream());
            if (request == null) {
                return;
            }
            requests.add(request);
            Exchange exchange = new Exchange(socket);
            script.respond(request, exchange);
            exchange.out.flush();
        } catch (Exception e) {
            // a cut or a client that went away: the script decided
        } finally {
            open.decrementAndGet();
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = new byte[0];
        List<String> length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.getFirst()));
        }
        return new Request(first[0], first[1], headers, body);
    }

    /** Writes one response. */
    public final class Exchange {
        private final Socket socket;
        final OutputStream out;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** A complete response with a Content-Length body. */
        public void respond(int status, byte[] body, String... headers) throws IOException {
            head(status, headers, "Content-Length: " + body.length);
            out.write(body);
            out.flush();
        }

        public void respond(int status, String body, String... headers) throws IOException {
            respond(status, body.getBytes(StandardCharsets.UTF_8), headers);
        }

        /** Status line and headers (plus {@code Connection: close}); the body is up to the script. */
        public void head(int status, String[] headers, String... more) throws IOException {
            StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            for (String header : headers) {
                h.append(header).append("\r\n");
            }
            for (String header : more) {
                h.append(header).append("\r\n");
            }
            h.append("Connection: close\r\n\r\n");
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Starts a chunked body. */
        public void startChunked(int status, String... headers) throws IOException {
            head(status, headers, "Transfer-Encoding: chunked");
        }

        public void chunk(byte[] data) throws IOException {
            if (data.length == 0) {
                return;
            }
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        public void endChunks() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Raw bytes, no framing. */
        public void write(byte[] data) throws IOException {
            out.write(data);
            out.flush();
        }

        /**
         * Sends nothing more and waits for the client to close the connection: returns true if it did
         * within {@code max}.
         */
        public boolean holdUntilClientCloses(Duration max) throws IOException {
            socket.setSoTimeout((int) max.toMillis());
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[1024];
            try {
                while (in.read(sink) >= 0) {
                    // the client sends nothing more on a request in flight; keep reading until it closes
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                // reset by the client: closed too
            }
            clientClosed.incrementAndGet();
            return true;
        }

        /** Drops the connection at once, mid-whatever. */
        public void cut() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
