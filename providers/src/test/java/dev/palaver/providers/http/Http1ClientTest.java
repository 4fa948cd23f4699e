package dev.palaver.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Http1Client} against a raw socket server whose every byte the test writes: framing, streaming as bytes
 * arrive, keep-alive reuse, a kept connection the server closed, cancels, timeouts and malformed answers.
 */
class Http1ClientTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private ServerSocket server;
    private final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private Http1Pool pool;
    private Http1Client client;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        pool = new Http1Pool();
        client = new Http1Client(Duration.ofSeconds(2), pool);
    }

    @AfterEach
    void stop() throws IOException {
        client.shutdownNow();
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    private Socket nextConnection() throws InterruptedException {
        Socket s = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(s).as("a connection").isNotNull();
        return s;
    }

    /** The request head and body as the server read them. */
    private static String readRequest(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Collects a body as the subscriber gets it, one piece at a time. */
    private static final class Collector implements Flow.Subscriber<List<ByteBuffer>> {
        final List<String> pieces = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> done = new CompletableFuture<>();
        final LinkedBlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                String piece = StandardCharsets.UTF_8.decode(b).toString();
                pieces.add(piece);
                arrivals.add(piece);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(String.join("", pieces));
        }
    }

    private CompletableFuture<HttpResponse<Void>> send(HttpRequest request, Collector collector,
            List<HttpResponse.ResponseInfo> heads) {
        return client.sendAsync(request, info -> {
            heads.add(info);
            return HttpResponse.BodySubscribers.fromSubscriber(collector);
        });
    }

    @Test
    void postsTheBodyWithItsLengthAndStreamsAChunkedAnswerAsItArrives() throws Exception {
        Collector body = new Collector();
        List<HttpResponse.ResponseInfo> heads = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/chat?x=1")).header("Authorization", "Bearer k")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
        CompletableFuture<HttpResponse<Void>> response = send(request, body, heads);
        Socket s = nextConnection();
        String received = readRequest(s);
        assertThat(received).startsWith("POST /v1/chat?x=1 HTTP/1.1\r\n")
                .contains("Host: 127.0.0.1:" + server.getLocalPort() + "\r\n", "Authorization: Bearer k\r\n",
                        "Content-Length: 7\r\n")
                .endsWith("\r\n\r\n{\"a\":1}");
        write(s, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "d\r\ndata: first\n\n\r\n");
        assertThat(body.arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("data: first\n\n");
        assertThat(heads).singleElement().satisfies(h -> {
            assertThat(h.statusCode()).isEqualTo(200);
            assertThat(h.headers().firstValue("content-type")).contains("text/event-stream");
        });
        // Half a chunk is handed over before the rest of it arrives.
        write(s, "e\r\ndata: se");
        assertThat(body.arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("data: se");
        write(s, "cond\n\n\r\n0\r\n\r\n");
        assertThat(body.done.get(5, TimeUnit.SECONDS)).isEqualTo("data: first\n\ndata: second\n\n");
        assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(pool.idleCount()).isEqualTo(1);
    }

    @Test
    void aCompletedAnswerLeavesItsConnectionForTheNextRequest() throws Exception {
        Socket only = null;
        for (int i = 0; i < 3; i++) {
            Collector body = new Collector();
            CompletableFuture<HttpResponse<Void>> response = send(HttpRequest.newBuilder(uri("/r" + i)).build(), body,
                    new CopyOnWriteArrayList<>());
            if (only == null) {
                only = nextConnection();
            }
            assertThat(readRequest(only)).startsWith("GET /r" + i + " HTTP/1.1");
            write(only, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            assertThat(body.done.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
            response.get(5, TimeUnit.SECONDS);
            awaitIdle(1);
        }
        assertThat(connections.get()).isEqualTo(1);
    }

    private void awaitIdle(int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pool.idleCount() != n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.idleCount()).isEqualTo(n);
    }

    @Test
    void aKeptConnectionTheServerClosedIsReplacedByANewOne() throws Exception {
        Collector first = new Collector();
        send(HttpRequest.newBuilder(uri("/a")).build(), first, new CopyOnWriteArrayList<>());
        Socket s1 = nextConnection();
        readRequest(s1);
        write(s1, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        first.done.get(5, TimeUnit.SECONDS);
        awaitIdle(1);
        s1.close();
        Collector second = new Collector();
        CompletableFuture<HttpResponse<Void>> response = send(HttpRequest.newBuilder(uri("/b"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), second, new CopyOnWriteArrayList<>());
        Socket s2 = nextConnection();
        assertThat(readRequest(s2)).startsWith("POST /b HTTP/1.1").endsWith("x");
        write(s2, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
        assertThat(second.done.get(5, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void cancellingTheBodyClosesTheConnectionAndKeepsNothing() throws Exception {
        Collector body = new Collector();
        send(HttpRequest.newBuilder(uri("/stream")).build(), body, new CopyOnWriteArrayList<>());
        Socket s = nextConnection();
        readRequest(s);
        write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n");
        assertThat(body.arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("one");
        body.subscription.cancel();
        s.setSoTimeout((int) WAIT.toMillis());
        assertThat(s.getInputStream().read()).as("the client closed the connection").isEqualTo(-1);
        assertThat(pool.idleCount()).isZero();
        assertThat(body.done).isNotDone();
    }

    @Test
    void aBodyCutShortIsAnErrorAndTheConnectionIsNotKept() throws Exception {
        Collector body = new Collector();
        send(HttpRequest.newBuilder(uri("/short")).build(), body, new CopyOnWriteArrayList<>());
        Socket s = nextConnection();
        readRequest(s);
        write(s, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        s.close();
        assertThatThrownBy(() -> body.done.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(pool.idleCount()).isZero();
    }

    @Test
    void anAnswerThatIsNotHttpFailsTheRequest() throws Exception {
        CompletableFuture<HttpResponse<Void>> response = send(HttpRequest.newBuilder(uri("/x")).build(), new Collector(),
                new CopyOnWriteArrayList<>());
        Socket s = nextConnection();
        readRequest(s);
        write(s, "SSH-2.0-OpenSSH\r\n\r\n");
        assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void theRequestTimeoutBoundsTheWaitForTheStatusLine() throws Exception {
        CompletableFuture<HttpResponse<Void>> response = send(HttpRequest.newBuilder(uri("/slow"))
                .timeout(Duration.ofMillis(200)).build(), new Collector(), new CopyOnWriteArrayList<>());
        nextConnection();
        assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void aConnectionRefusedFailsAtOnceAndAConnectTimeoutIsNamedSo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CompletableFuture<HttpResponse<Void>> refused = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(java.net.ConnectException.class);
        // A non-routable address (TEST-NET-1) never answers the SYN.
        Http1Client quick = new Http1Client(Duration.ofMillis(200), pool);
        CompletableFuture<HttpResponse<Void>> silent = quick.sendAsync(
                HttpRequest.newBuilder(URI.create("http://192.0.2.1:81/")).build(), HttpResponse.BodyHandlers.discarding());
        assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).satisfies(e ->
                assertThat(e.getCause()).isInstanceOfAny(HttpConnectTimeoutException.class, java.net.SocketException.class));
    }

    @Test
    void shutdownNowAbortsExchangesInFlightAndTheirThreadsEnd() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(HttpRequest.newBuilder(uri("/hang")).build(),
                info -> {
                    started.countDown();
                    return HttpResponse.BodySubscribers.discarding();
                });
        Socket s = nextConnection();
        readRequest(s);
        write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Http1Client.exchangeThreads()).isNotEmpty();
        client.shutdownNow();
        assertThat(client.awaitTermination(WAIT)).isTrue();
        assertThat(response).failsWithin(WAIT);
        assertThatThrownBy(() -> client.sendAsync(HttpRequest.newBuilder(uri("/after")).build(),
                HttpResponse.BodyHandlers.discarding()).get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    }
}
