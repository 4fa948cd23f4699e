package dev.palaver.bench.calls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.twilio.security.RequestValidator;
import dev.palaver.bench.engine.TelephoneEdge;
import dev.palaver.bench.fakes.FakeProviders;
import dev.palaver.media.audio.MuLaw;
import dev.palaver.media.audio.Resampler;
import dev.palaver.media.call.CallSession;
import dev.palaver.media.call.CallSettings;
import dev.palaver.media.call.LoopMode;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.media.transport.Transport;
import dev.palaver.media.vad.EnergyVoiceActivityDetector;
import dev.palaver.providers.deepgram.DeepgramSpeechToText;
import dev.palaver.providers.elevenlabs.ElevenLabsTextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.openai.OpenAiCompatibleConfig;
import dev.palaver.providers.openai.OpenAiCompatibleLanguageModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Twilio-facing edge of a phone call, for testing the simulator without the whole server: a voice
 * webhook that checks the signature with the Twilio SDK's own {@link RequestValidator} and answers TwiML
 * with a single-use stream token, and a Media Streams WebSocket that runs each stream as a real
 * {@link CallSession} (energy VAD) with Palaver's provider clients pointed at the fake providers.
 */
final class EngineTwilioEdge implements AutoCloseable {

    final String authToken = UUID.randomUUID().toString().replace("-", "");
    final AtomicInteger marksPlayed = new AtomicInteger();
    final AtomicInteger clears = new AtomicInteger();
    final List<String> refused = new CopyOnWriteArrayList<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<CallSession> sessions = new CopyOnWriteArrayList<>();
    private final FakeProviders fakes;
    private final SystemScheduler scheduler = new SystemScheduler();
    private final HttpServer webhook;
    private final Media media;

    EngineTwilioEdge(FakeProviders fakes) throws Exception {
        this.fakes = fakes;
        media = new Media();
        media.start();
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        webhook.createContext(TwilioLine.VOICE_PATH, this::voice);
        webhook.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (media.getPort() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    String publicUrl() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort();
    }

    private void voice(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            String signature = exchange.getRequestHeaders().getFirst("X-Twilio-Signature");
            if (signature == null || !new RequestValidator(authToken).validate(publicUrl() + TwilioLine.VOICE_PATH, form, signature)) {
                refused.add("bad signature");
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            String token = UUID.randomUUID().toString();
            tokens.add(token);
            byte[] twiml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect><Stream url=\"ws://127.0.0.1:"
                    + media.getPort() + "/media\"><Parameter name=\"token\" value=\"" + token
                    + "\"/></Stream></Connect></Response>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, twiml.length);
            exchange.getResponseBody().write(twiml);
        }
    }

    @Override
    public void close() throws Exception {
        for (CallSession s : sessions) {
            s.hangUp();
        }
        webhook.stop(0);
        media.stop(1000);
        scheduler.close();
    }

    /** One Media Streams connection's call. */
    private final class Stream implements Transport {
        private final WebSocket conn;
        private final String streamSid;
        private final TelephoneEdge inbound = new TelephoneEdge();
        private final Resampler down = new Resampler(16_000, 8_000);
        private volatile Listener listener;

        Stream(WebSocket conn, String streamSid) {
            this.conn = conn;
            this.streamSid = streamSid;
        }

        @Override
        public void start(Listener l) {
            listener = l;
        }

        @Override
        public void sendAudio(short[] frame) {
            short[] narrow = new short[160];
            int n = down.process(frame, 0, frame.length, narrow, 0);
            byte[] mulaw = new byte[n];
            MuLaw.encode(narrow, 0, mulaw, 0, n);
            ObjectNode msg = message("media");
            msg.putObject("media").put("payload", Base64.getEncoder().encodeToString(mulaw));
            send(Json.write(msg));
        }

        @Override
        public void sendMark(String name) {
            ObjectNode msg = message("mark");
            msg.putObject("mark").put("name", name);
            send(Json.write(msg));
        }

        @Override
        public void clear() {
            clears.incrementAndGet();
            send(Json.write(message("clear")));
        }

        @Override
        public void sendDtmf(String digits) {
            // Twilio Media Streams cannot play DTMF; the simulator never asks for it.
        }

        @Override
        public void hangUp() {
            conn.close(1000, "");
        }

        void media(String payload) {
            Listener l = listener;
            if (l != null) {
                l.onAudio(inbound.toEngineFrame(Base64.getDecoder().decode(payload)));
            }
        }

        void mark(String name) {
            marksPlayed.incrementAndGet();
            Listener l = listener;
            if (l != null) {
                l.onMarkPlayed(name);
            }
        }

        void closed() {
            Listener l = listener;
            if (l != null) {
                l.onClosed();
            }
        }

        private ObjectNode message(String event) {
            ObjectNode msg = Json.object();
            msg.put("event", event);
            msg.put("streamSid", streamSid);
            return msg;
        }

        private void send(String json) {
            if (conn.isOpen()) {
                conn.send(json);
            }
        }
    }

    private final class Media extends WebSocketServer {
        Media() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
            setDaemon(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
        }

        @Override
        public void onMessage(WebSocket conn, String text) {
            JsonNode msg = Json.tryParse(text);
            String event = Json.string(msg, "event");
            Stream stream = conn.getAttachment();
            switch (event) {
                case "start" -> start(conn, msg.path("start"));
                case "media" -> stream.media(msg.path("media").path("payload").asString());
                case "mark" -> stream.mark(msg.path("mark").path("name").asString());
                case "stop" -> stream.closed();
                default -> {
                    // "connected" carries nothing a call needs.
                }
            }
        }

        private void start(WebSocket conn, JsonNode start) {
            if (!tokens.remove(start.path("customParameters").path("token").asString(""))) {
                refused.add("bad stream token");
                conn.close(1008, "bad stream token");
                return;
            }
            Stream stream = new Stream(conn, start.path("streamSid").asString());
            conn.setAttachment(stream);
            CallSession session = CallSession.builder()
                    .callId(start.path("callSid").asString())
                    .settings(CallSettings.builder().firstMessage("Hello.").build())
                    .transport(stream)
                    .speechToText(DeepgramSpeechToText.builder(ApiKey.of("k"), scheduler)
                            .baseUrl(URI.create(fakes.sttUrl())).build())
                    .languageModel(new OpenAiCompatibleLanguageModel(OpenAiCompatibleConfig
                            .builder(URI.create(fakes.httpUrl() + "/v1"), "fake").name("openai").apiKey("k").build()))
                    .textToSpeech(ElevenLabsTextToSpeech.builder(ApiKey.of("k"), "voice", scheduler)
                            .baseUrl(URI.create(fakes.httpUrl())).build())
                    .voiceActivityDetector(new EnergyVoiceActivityDetector())
                    .scheduler(scheduler)
                    .loopMode(LoopMode.VIRTUAL_THREAD)
                    .build();
            sessions.add(session);
            session.start();
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            Stream stream = conn.getAttachment();
            if (stream != null) {
                stream.closed();
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            refused.add(ex.toString());
        }

        @Override
        public void onStart() {
        }
    }
}
