package dev.palaver.providers.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP/1.1 server on 127.0.0.1 for fault tests. Responses are served in the order they were
 * enqueued; each is a status, headers and steps: write a chunk, stall (send nothing more and wait for the
 * client to close), drop the connection mid-body, or wait for a latch. It records every request and
 * counts the connections the client still holds open, so tests can prove a client closed one.
 */
public final class LoopbackServer implements AutoCloseable {

    public record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.getFirst();
        }
    }

    private sealed interface Step {
    }

    private record Write(byte[] bytes) implements Step {
    }

    private record Stall() implements Step {
    }

    private record Drop() implements Step {
    }

    private record Hold(CountDownLatch latch) implements Step {
    }

    private record Repeat(byte[] bytes, Duration every) implements Step {
    }

    /** A scripted response. Bodies are chunked unless {@link #fixedLength()} is set. */
    public static final class Response {
        private final int status;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<Step> steps = new ArrayList<>();
        private boolean noHeaders;
        private boolean fixedLength;

        private Response(int status) {
            this.status = status;
        }

        public static Response status(int status) {
            return new Response(status);
        }

        /** 200 text/event-stream. */
        public static Response sse() {
            return new Response(200).header("Content-Type", "text/event-stream");
        }

        /** 200 application/json with a fixed-length body. */
        public static Response json(String body) {
            return new Response(200).header("Content-Type", "application/json").fixedLength().write(body);
        }

        /** Accepts the request and never answers; the connection stays open until the client closes it. */
        public static Response noResponse() {
            Response r = new Response(0);
            r.noHeaders = true;
            return r;
        }

        public Response header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Sends a Content-Length body made of all writes instead of chunks (steps other than writes are ignored). */
        public Response fixedLength() {
            fixedLength = true;
            return this;
        }

        public Response write(String text) {
            steps.add(new Write(text.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        public Response write(byte[] bytes) {
            steps.add(new Write(bytes));
            return this;
        }

        /** Sends nothing more and holds the connection until the client closes it. */
        public Response stall() {
            steps.add(new Stall());
            return this;
        }

        /** Closes the connection at once, without ending the body. */
        public Response drop() {
            steps.add(new Drop());
            return this;
        }

        /** Waits for the latch before the next step. */
        public Response await(CountDownLatch latch) {
            steps.add(new Hold(latch));
            return this;
        }

        /** Writes {@code text} every {@code every} until the client goes away (a slow, never-ending stream). */
        public Response repeat(String text, Duration every) {
            steps.add(new Repeat(text.getBytes(StandardCharsets.UTF_8), every));
            return this;
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final LinkedBlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Thread> handlers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();

    private LoopbackServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("loopback-accept").start(this::acceptLoop);
    }

    public static LoopbackServer start() {
        try {
            return new LoopbackServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:port} followed by {@code path}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    public LoopbackServer enqueue(Response response) {
        responses.add(response);
        return this;
    }

    /** The next request received, waiting up to five seconds. */
    public Recorded takeRequest() {
        try {
            Recorded r = requests.poll(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no request arrived within 5 s");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public int requestCount() {
        return requests.size();
    }

    /** Connections accepted and not yet closed by either side. */
    public int openConnections() {
        return open.get();
    }

    public int acceptedConnections() {
        return accepted.get();
    }

    /**
     * Connections in the middle of an exchange: a request read and its response not yet complete (a stalled
     * or held response counts until the client closes the connection). Idle keep-alive connections, which a
     * shared client pools for its next request, do not count.
     */
    public int busyConnections() {
        return busy.get();
    }

    /** True once no connection is in the middle of an exchange, waiting up to {@code limit}. */
    public boolean awaitNoBusyConnections(Duration limit) {
        return Waits.until(() -> busy.get() == 0, limit);
    }

    /** True once no connection is open, waiting up to {@code limit}. */
    public boolean awaitNoOpenConnections(Duration limit) {
        return Waits.until(() -> open.get() == 0, limit);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            open.incrementAndGet();
            sockets.add(socket);
            handlers.add(Thread.ofVirtual().name("loopback-conn").start(() -> serve(socket)));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Recorded request = readRequest(in);
                if (request == null) {
                    return;
                }
                busy.incrementAndGet();
                try {
                    requests.add(request);
                    Response response = responses.poll();
                    if (response == null) {
                        response = Response.status(404).fixedLength()
                                .write("{\"error\":{\"type\":\"not_scripted\"}}");
                    }
                    if (!respond(response, in, out)) {
                        return;
                    }
                } finally {
                    busy.decrementAndGet();
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away (or the server is closing): the connection is over.
        } finally {
            sockets.remove(socket);
            open.decrementAndGet();
        }
    }

    /** Serves one response; false when the connection is finished. */
    private boolean respond(Response response, InputStream in, OutputStream out)
            throws IOException, InterruptedException {
        if (response.noHeaders) {
            drainUntilClosed(in);
            return false;
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status).append(' ')
                .append(reason(response.status)).append("\r\n");
        response.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (response.fixedLength) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Step step : response.steps) {
                if (step instanceof Write w) {
                    body.writeBytes(w.bytes());
                }
            }
            boolean partial = response.steps.stream().anyMatch(s -> s instanceof Stall || s instanceof Drop);
            int declared = body.size() + (partial ? 1000 : 0);
            head.append("Content-Length: ").append(declared).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body.toByteArray());
            out.flush();
            for (Step step : response.steps) {
                if (step instanceof Stall) {
                    drainUntilClosed(in);
                    return false;
                }
                if (step instanceof Drop) {
                    return false;
                }
            }
            return true;
        }
        head.append("Transfer-Encoding: chunked\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (Step step : response.steps) {
            switch (step) {
                case Write w -> writeChunk(out, w.bytes());
                case Stall s -> {
                    drainUntilClosed(in);
                    return false;
                }
                case Drop d -> {
                    return false;
                }
                case Hold h -> h.latch().await();
                case Repeat r -> {
                    while (true) {
                        writeChunk(out, r.bytes());
                        Thread.sleep(r.every());
                    }
                }
            }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return true;
    }

    private static void writeChunk(OutputStream out, byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return;
        }
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void drainUntilClosed(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
            // Discard: we only wait for the client to close.
        }
    }

    private static Recorded readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length").getFirst()) : 0;
        byte[] body = in.readNBytes(length);
        return new Recorded(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(Duration.ofSeconds(5));
            for (Thread handler : handlers) {
                handler.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
