package dev.palaver.bench.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.palaver.providers.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI-style streaming Chat Completions ({@code POST /v1/chat/completions}, server-sent events) and
 * streaming speech synthesis in ElevenLabs' shape ({@code POST /v1/text-to-speech/{voice}/stream?output_format=pcm_16000})
 * and Deepgram Aura's ({@code POST /v1/speak?…&sample_rate=16000}) on the JDK's HTTP server, one virtual
 * thread per exchange. The model's first chunk, {@link FakeDelays#llmFirstToken()} after the request, is a
 * whole sentence; the rest follows a word per {@link FakeDelays#llmPerToken()}. Synthesis answers raw PCM16
 * after {@link FakeDelays#ttsFirstByte()}, {@link FakeDelays#ttsMillisPerChar()} of audio per character, the
 * first 100 ms at once and the rest as fast as the connection takes it (real services run ahead of real time).
 */
public final class FakeHttpProviders implements AutoCloseable {

    /** The agent's answer: the first sentence goes out in one chunk. */
    public static final String FIRST_SENTENCE = "Sure, I can help you with that.";
    public static final String REST = " Let me check the calendar and I will read you the free times in a moment.";

    /** 30 s of the agent's "voice", sliced for each answer. */
    private static final byte[] HUM = voice(30 * 16_000);

    private final HttpServer server;
    private final FakeDelays delays;
    private final AtomicLong completions = new AtomicLong();
    private final AtomicLong syntheses = new AtomicLong();

    public FakeHttpProviders(InetSocketAddress address, FakeDelays delays) throws IOException {
        this.delays = delays;
        this.server = HttpServer.create(address, 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/text-to-speech/", this::speak);
        server.createContext("/v1/speak", this::speak);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long completions() {
        return completions.get();
    }

    public long syntheses() {
        return syntheses.get();
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            long start = System.nanoTime();
            JsonNode request = Json.tryParse(exchange.getRequestBody().readAllBytes());
            if (!authorized(exchange, "Authorization", "Bearer ") || request == null || !request.path("stream").asBoolean(false)) {
                reject(exchange, 400, "{\"error\":{\"message\":\"streaming requests with a key only\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            completions.incrementAndGet();
            String model = request.path("model").asString("fake");
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            sleepUntil(start + delays.drawNanos(delays.llmFirstToken()));
            event(out, chunk(model, FIRST_SENTENCE, null));
            for (String word : REST.split("(?= )")) {
                sleepUntil(System.nanoTime() + delays.drawNanos(delays.llmPerToken()));
                event(out, chunk(model, word, null));
            }
            event(out, chunk(model, null, "stop"));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // The client closed the stream (an interruption cancels the reply): nothing to do.
        }
    }

    private void speak(HttpExchange exchange) throws IOException {
        try (exchange) {
            long start = System.nanoTime();
            JsonNode request = Json.tryParse(exchange.getRequestBody().readAllBytes());
            boolean eleven = exchange.getRequestURI().getPath().startsWith("/v1/text-to-speech/");
            boolean keyed = eleven ? authorized(exchange, "xi-api-key", "") : authorized(exchange, "Authorization", "Token ");
            String text = request == null ? null : Json.string(request, "text");
            int rate = rate(exchange.getRequestURI().getRawQuery());
            if (!keyed || text == null || text.isBlank() || rate != 16_000) {
                reject(exchange, 400, "{\"detail\":{\"status\":\"invalid_request\",\"message\":\"a key, text and 16 kHz PCM only\"}}");
                return;
            }
            syntheses.incrementAndGet();
            int bytes = Math.min(HUM.length, text.length() * delays.ttsMillisPerChar() * 32);
            exchange.getResponseHeaders().set("Content-Type", eleven ? "audio/pcm" : "audio/l16");
            sleepUntil(start + delays.drawNanos(delays.ttsFirstByte()));
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            int first = Math.min(bytes, 3_200);
            out.write(HUM, 0, first);
            out.flush();
            for (int off = first; off < bytes; off += 8_192) {
                out.write(HUM, off, Math.min(8_192, bytes - off));
            }
            out.flush();
        } catch (IOException e) {
            // Closed by the client: synthesis of an interrupted reply is abandoned.
        }
    }

    /** A soft two-tone hum: the simulator only counts and times the agent's frames. */
    static byte[] voice(int samples) {
        ByteBuffer b = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            double t = i / 16_000.0;
            b.putShort((short) (2_000 * Math.sin(2 * Math.PI * 180 * t) + 1_000 * Math.sin(2 * Math.PI * 540 * t)));
        }
        return b.array();
    }

    private static int rate(String query) {
        if (query == null) {
            return -1;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("output_format=pcm_")) {
                return Integer.parseInt(pair.substring("output_format=pcm_".length()));
            }
            if (pair.startsWith("sample_rate=")) {
                return Integer.parseInt(pair.substring("sample_rate=".length()));
            }
        }
        return -1;
    }

    private static boolean authorized(HttpExchange exchange, String header, String prefix) {
        String value = exchange.getRequestHeaders().getFirst(header);
        return value != null && value.startsWith(prefix) && value.length() > prefix.length();
    }

    private static void reject(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String chunk(String model, String content, String finish) {
        ObjectNode c = Json.object();
        c.put("id", "chatcmpl-fake");
        c.put("object", "chat.completion.chunk");
        c.put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (content != null) {
            delta.put("content", content);
        }
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return Json.write(c);
    }

    private static void event(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Parks until {@code deadline} ({@link System#nanoTime()}); a virtual thread parks without a carrier. */
    static void sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        try {
            ((java.util.concurrent.ExecutorService) server.getExecutor()).awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
