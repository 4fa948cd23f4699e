package dev.palaver.providers.openai;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.vad.EnergyVoiceActivityDetector;
import dev.palaver.media.vad.SpeechDetector;
import dev.palaver.media.vad.VoiceActivityDetector;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpExchange;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.http.ProviderTransport;
import dev.palaver.providers.speechhttp.SpeechUrls;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming recognition on top of an OpenAI-compatible {@code POST {base}/audio/transcriptions} (Whisper
 * and others: OpenAI's {@code whisper-1}, Groq's {@code whisper-large-v3}, local servers), which
 * transcribes whole files. Pushed audio is buffered and cut into utterances by a {@link SpeechDetector}
 * on the stream's own voice activity detector; each utterance goes out as a 16 kHz mono WAV in a
 * multipart request and its text comes back as a final. An utterance ends when the detector hears it
 * stop (final, not flushed), when {@code endOfSpeech()} is called (flushed), or at the utterance length
 * cap. Audio with no speech in it is never sent (Whisper invents words for silence): an
 * {@code endOfSpeech()} with no speech since the last cut is answered with an empty flushed final.
 * Finals are delivered in the order their utterances were cut, whatever order the requests finish in.
 */
public final class OpenAiTranscriptionSpeechToText implements SpeechToText, AutoCloseable {

    static final String PROVIDER = "OpenAI STT";
    private static final Logger log = LoggerFactory.getLogger(OpenAiTranscriptionSpeechToText.class);
    /** Transcription answers are small JSON; a bigger one is not one. */
    static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final URI endpoint;
    private final ApiKey key;
    private final String model;
    private final String language;
    private final String prompt;
    private final Supplier<VoiceActivityDetector> vad;
    private final SpeechDetector.Settings segmentation;
    private final int preRollSamples;
    private final int maxUtteranceSamples;
    private final int maxInFlight;
    private final ProviderTransport transport;
    private final Set<TranscriptionStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private OpenAiTranscriptionSpeechToText(Builder b) {
        this.endpoint = SpeechUrls.build(b.baseUrl, "/audio/transcriptions", Map.of());
        this.key = b.key;
        this.model = b.model;
        this.language = b.language;
        this.prompt = b.prompt;
        this.vad = b.vad;
        this.segmentation = b.segmentation;
        this.preRollSamples = AudioFormat.samplesFor(AudioFormat.SAMPLE_RATE, (int) b.preRoll.toMillis());
        this.maxUtteranceSamples = AudioFormat.samplesFor(AudioFormat.SAMPLE_RATE, (int) b.maxUtterance.toMillis());
        this.maxInFlight = b.maxInFlight;
        this.transport = new ProviderTransport(PROVIDER, b.timeouts,
                b.key.isPresent() ? List.of(b.key.reveal()) : List.of());
    }

    public static Builder builder(ApiKey key) {
        return new Builder(key);
    }

    @Override
    public Stream open(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException(PROVIDER + " is closed");
        }
        TranscriptionStream stream = new TranscriptionStream(listener, new SpeechDetector(vad.get(), segmentation));
        open.add(stream);
        return stream;
    }

    /** Streams opened and not yet closed or failed. */
    public int openStreams() {
        return open.size();
    }

    /** Closes every open stream (their listeners hear nothing more) and stops the HTTP client. */
    @Override
    public void close() {
        closed = true;
        for (TranscriptionStream s : List.copyOf(open)) {
            s.close();
        }
        transport.close();
    }

    @Override
    public String toString() {
        return "OpenAiTranscriptionSpeechToText[" + endpoint + ", model " + model + ", " + key + "]";
    }

    /** One utterance on its way; {@code text} is set when its answer is in. */
    private static final class Utterance {
        final boolean flushed;
        HttpExchange call;
        String text;

        Utterance(boolean flushed) {
            this.flushed = flushed;
        }
    }

    private final class TranscriptionStream implements Stream {
        private final Listener listener;
        private final SpeechDetector detector;
        private final ReentrantLock lock = new ReentrantLock();
        private final short[] pending = new short[maxUtteranceSamples];
        private final short[] vadFrame = new short[AudioFormat.SAMPLES_PER_FRAME];
        private final ArrayDeque<Utterance> utterances = new ArrayDeque<>();
        private final float startThreshold;
        private int pendingLength;
        private int vadFill;
        private boolean speechSinceCut;
        private boolean closed;
        private boolean failed;

        TranscriptionStream(Listener listener, SpeechDetector detector) {
            this.listener = listener;
            this.detector = detector;
            this.startThreshold = segmentation.startThreshold();
        }

        @Override
        public void push(short[] frame) {
            List<HttpExchange> toClose = List.of();
            lock.lock();
            try {
                if (closed || failed) {
                    return;
                }
                for (int at = 0; at < frame.length && !failed; ) {
                    int take = Math.min(frame.length - at, vadFrame.length - vadFill);
                    System.arraycopy(frame, at, vadFrame, vadFill, take);
                    vadFill += take;
                    at += take;
                    if (vadFill == vadFrame.length) {
                        vadFill = 0;
                        toClose = judge(vadFrame);
                    }
                }
            } finally {
                lock.unlock();
            }
            closeAll(toClose);
        }

        /** Buffers one 20 ms frame and cuts where the detector says. Caller holds the lock. */
        private List<HttpExchange> judge(short[] frame) {
            if (pendingLength + frame.length > pending.length) {
                if (speechSinceCut) {
                    List<HttpExchange> c = cut(false);
                    if (failed) {
                        return c;
                    }
                } else {
                    dropOldest(pendingLength + frame.length - pending.length);
                }
            }
            System.arraycopy(frame, 0, pending, pendingLength, frame.length);
            pendingLength += frame.length;
            SpeechDetector.Transition t = detector.accept(frame);
            if (t == SpeechDetector.Transition.STARTED
                    || (detector.inSpeech() && detector.lastProbability() >= startThreshold)) {
                speechSinceCut = true;
            }
            if (t == SpeechDetector.Transition.STOPPED && speechSinceCut) {
                return cut(false);
            }
            if (!speechSinceCut && pendingLength > preRollSamples) {
                dropOldest(pendingLength - preRollSamples);
            }
            return List.of();
        }

        private void dropOldest(int samples) {
            System.arraycopy(pending, samples, pending, 0, pendingLength - samples);
            pendingLength -= samples;
        }

        @Override
        public void endOfSpeech() {
            List<HttpExchange> toClose;
            lock.lock();
            try {
                if (closed || failed) {
                    return;
                }
                if (speechSinceCut) {
                    toClose = cut(true);
                } else {
                    Utterance nothing = new Utterance(true);
                    nothing.text = "";
                    utterances.add(nothing);
                    deliverReady();
                    toClose = List.of();
                }
            } finally {
                lock.unlock();
            }
            closeAll(toClose);
        }

        /** Sends what is buffered as one utterance. Caller holds the lock; returns calls to close if it failed. */
        private List<HttpExchange> cut(boolean flushed) {
            short[] audio = java.util.Arrays.copyOf(pending, pendingLength);
            pendingLength = 0;
            speechSinceCut = false;
            long waiting = utterances.stream().filter(u -> u.text == null).count();
            if (waiting >= maxInFlight) {
                return fail(ProviderFailure.of(PROVIDER, Kind.IDLE_TIMEOUT,
                        "not keeping up: " + waiting + " utterances waiting for transcripts"));
            }
            Utterance u = new Utterance(flushed);
            utterances.add(u);
            try {
                u.call = transport.exchange(request(audio), new Answer(u));
            } catch (ProviderException e) {
                return fail(e.failure());
            }
            // Handler calls take this stream's lock after the exchange's: the exchange is new, so nobody
            // else holds its lock while start() takes it here.
            u.call.start();
            return List.of();
        }

        @Override
        public void close() {
            List<HttpExchange> toClose;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                open.remove(this);
                toClose = calls();
                utterances.clear();
                detector.close();
            } finally {
                lock.unlock();
            }
            closeAll(toClose);
        }

        /** Delivers finished utterances from the oldest, stopping at the first still waiting. Caller holds the lock. */
        private void deliverReady() {
            while (!utterances.isEmpty() && utterances.peek().text != null && !closed && !failed) {
                Utterance u = utterances.poll();
                try {
                    listener.onFinal(u.text, u.flushed);
                } catch (RuntimeException e) {
                    log.warn("{} listener threw {}", PROVIDER, e.getClass().getName());
                }
            }
        }

        /** Ends the stream with {@code failure}. Caller holds the lock; returns the calls to close after unlocking. */
        private List<HttpExchange> fail(ProviderFailure failure) {
            if (closed || failed) {
                return List.of();
            }
            failed = true;
            open.remove(this);
            List<HttpExchange> calls = calls();
            utterances.clear();
            detector.close();
            log.debug("{}", failure.safeMessage());
            try {
                ProviderFailure.Receiver.deliver(listener, failure, listener::onError);
            } catch (RuntimeException e) {
                log.warn("{} listener threw {}", PROVIDER, e.getClass().getName());
            }
            return calls;
        }

        private List<HttpExchange> calls() {
            List<HttpExchange> calls = new ArrayList<>();
            for (Utterance u : utterances) {
                if (u.call != null) {
                    calls.add(u.call);
                }
            }
            return calls;
        }

        private void closeAll(List<HttpExchange> calls) {
            for (HttpExchange c : calls) {
                c.cancel();
            }
        }

        /** Collects one utterance's answer. Runs under the call's lock; takes the stream's. */
        private final class Answer implements HttpExchange.Handler {
            private final Utterance utterance;
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();

            Answer(Utterance utterance) {
                this.utterance = utterance;
            }

            @Override
            public void onBody(ByteBuffer bytes) {
                if (body.size() + bytes.remaining() > MAX_RESPONSE_BYTES) {
                    throw new ProviderException(ProviderFailure.of(PROVIDER, Kind.MALFORMED,
                            "answer over " + MAX_RESPONSE_BYTES + " bytes"));
                }
                byte[] chunk = new byte[bytes.remaining()];
                bytes.get(chunk);
                body.writeBytes(chunk);
            }

            @Override
            public void onEnd() {
                // Any content type: some compatible servers label JSON as text.
                String text = Json.string(Json.tryParseObject(body.toString(StandardCharsets.UTF_8)), "text");
                if (text == null) {
                    throw new ProviderException(ProviderFailure.of(PROVIDER, Kind.MALFORMED,
                            "answer is not JSON with a text field"));
                }
                utterance.call.finish();
                lock.lock();
                try {
                    utterance.text = text.strip();
                    deliverReady();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void onFailure(ProviderFailure failure) {
                List<HttpExchange> toClose;
                lock.lock();
                try {
                    toClose = fail(failure);
                } finally {
                    lock.unlock();
                }
                // After unlocking: a call's lock is taken before the stream's, never after. Only the first
                // failure gets calls to close, so two calls never wait on each other here.
                closeAll(toClose);
            }
        }
    }

    private HttpRequest request(short[] audio) {
        String boundary = "palaver-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(audio.length * 2 + 1024);
        part(body, boundary, "file\"; filename=\"utterance.wav", "audio/wav", wav(audio));
        part(body, boundary, "model", null, model.getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "response_format", null, "json".getBytes(StandardCharsets.UTF_8));
        if (language != null) {
            part(body, boundary, "language", null, language.getBytes(StandardCharsets.UTF_8));
        }
        if (prompt != null) {
            part(body, boundary, "prompt", null, prompt.getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest.Builder request = transport.request(endpoint)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .header("User-Agent", "palaver")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (key.isPresent()) {
            request.header("Authorization", "Bearer " + key.reveal());
        }
        return request.build();
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String type, byte[] content) {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n");
        if (type != null) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        head.append("\r\n");
        body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A 16 kHz mono PCM16 WAV file in memory. */
    static byte[] wav(short[] samples) {
        int data = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(AudioFormat.SAMPLE_RATE).putInt(AudioFormat.SAMPLE_RATE * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    public static final class Builder {
        private final ApiKey key;
        private URI baseUrl = URI.create("https://api.openai.com/v1");
        private String model = "whisper-1";
        private String language;
        private String prompt;
        private Supplier<VoiceActivityDetector> vad = EnergyVoiceActivityDetector::new;
        private SpeechDetector.Settings segmentation = new SpeechDetector.Settings(0.5f, 0.35f, 100, 500);
        private Duration preRoll = Duration.ofMillis(300);
        private Duration maxUtterance = Duration.ofSeconds(30);
        private int maxInFlight = 4;
        private HttpTimeouts timeouts = HttpTimeouts.transcription();

        private Builder(ApiKey key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        /** Up to and including the version: {@code https://api.openai.com/v1}, {@code https://api.groq.com/openai/v1}. */
        public Builder baseUrl(URI v) { baseUrl = Objects.requireNonNull(v); return this; }

        /** {@code whisper-1}, {@code gpt-4o-mini-transcribe}, Groq's {@code whisper-large-v3}, … */
        public Builder model(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("model is blank");
            }
            model = v;
            return this;
        }

        /** ISO 639-1 language of the speech (helps accuracy and speed); null to detect. */
        public Builder language(String v) { language = v; return this; }

        /** Text that steers spelling and style (names, jargon); null for none. */
        public Builder prompt(String v) { prompt = v; return this; }

        /** A new detector for each stream (Silero where available; energy-based by default). */
        public Builder voiceActivityDetector(Supplier<VoiceActivityDetector> v) { vad = Objects.requireNonNull(v); return this; }

        /** When speech counts as started and stopped (an utterance is cut when it stops). */
        public Builder segmentation(SpeechDetector.Settings v) { segmentation = Objects.requireNonNull(v); return this; }

        /** Audio kept from before speech starts, so the first syllable is not clipped. */
        public Builder preRoll(Duration v) { preRoll = nonNegative(v, "pre-roll"); return this; }

        /** Longest utterance sent in one request; longer speech is cut there. */
        public Builder maxUtterance(Duration v) {
            if (v == null || v.toMillis() < 1000) {
                throw new IllegalArgumentException("max utterance must be at least 1 s: " + v);
            }
            maxUtterance = v;
            return this;
        }

        /** Utterances that may wait for transcripts at once before the stream counts as stalled. */
        public Builder maxInFlight(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("max in flight must be at least 1: " + v);
            }
            maxInFlight = v;
            return this;
        }

        public Builder timeouts(HttpTimeouts v) { timeouts = Objects.requireNonNull(v); return this; }

        public OpenAiTranscriptionSpeechToText build() {
            if (preRoll.compareTo(maxUtterance) >= 0) {
                throw new IllegalArgumentException("pre-roll must be shorter than the max utterance");
            }
            return new OpenAiTranscriptionSpeechToText(this);
        }

        private static Duration nonNegative(Duration d, String what) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }
    }
}
