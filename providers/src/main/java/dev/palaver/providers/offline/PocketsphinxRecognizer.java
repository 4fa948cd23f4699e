package dev.palaver.providers.offline;

import dev.palaver.media.audio.AudioFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PCM16 mono 16 kHz to English text with pocketsphinx 5prealpha (Debian {@code libpocketsphinx3} and the
 * {@code pocketsphinx-en-us} model), called in-process through the FFM API.
 *
 * <p>A pocketsphinx decoder is not thread-safe and holds its own copy of the acoustic and language models
 * (tens of megabytes), so the recognizer keeps a bounded pool: each {@link PocketsphinxUtterance} has a decoder
 * to itself until it finishes, and when all are busy a new utterance waits up to the acquire timeout. The
 * recognizer itself is thread-safe.
 */
public final class PocketsphinxRecognizer implements AutoCloseable {
    public static final String LIBRARY = "libpocketsphinx.so.3";
    public static final String SPHINXBASE_LIBRARY = "libsphinxbase.so.3";
    public static final Path MODEL_DIRECTORY = Path.of("/usr/share/pocketsphinx/model/en-us");
    public static final String INSTALL_COMMAND = "apt-get install -y libpocketsphinx3 pocketsphinx-en-us";
    /** The rate the en-us acoustic model was trained at: input must be at this rate. */
    public static final int SAMPLE_RATE = AudioFormat.SAMPLE_RATE;

    private static final Logger log = LoggerFactory.getLogger(PocketsphinxRecognizer.class);

    /**
     * Where pocketsphinx comes from and how much of it may run.
     *
     * @param library        libpocketsphinx soname or path
     * @param sphinxbase     libsphinxbase soname or path (its logging is switched off)
     * @param modelDirectory holds {@code en-us/} (acoustic model), {@code en-us.lm.bin} and {@code cmudict-en-us.dict}
     * @param decoders       most utterances recognized at once, each with its own decoder
     * @param acquireTimeout how long a new utterance waits for a free decoder
     * @param maxUtterance   longest audio one utterance accepts
     */
    public record Settings(String library, String sphinxbase, Path modelDirectory, int decoders,
                           Duration acquireTimeout, Duration maxUtterance) {
        public Settings {
            Objects.requireNonNull(library, "library");
            Objects.requireNonNull(sphinxbase, "sphinxbase");
            Objects.requireNonNull(modelDirectory, "modelDirectory");
            if (decoders < 1) {
                throw new IllegalArgumentException("at least one decoder is needed, not " + decoders);
            }
            if (acquireTimeout.isNegative()) {
                throw new IllegalArgumentException("negative acquire timeout " + acquireTimeout);
            }
            if (maxUtterance.toMillis() < AudioFormat.FRAME_MILLIS) {
                throw new IllegalArgumentException("maximum utterance " + maxUtterance + " is shorter than a frame");
            }
        }

        /** Debian's library and model, two decoders, a 5 s wait for one, utterances up to 60 s. */
        public static Settings defaults() {
            return new Settings(LIBRARY, SPHINXBASE_LIBRARY, MODEL_DIRECTORY, 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(60));
        }

        public Settings withLibrary(String library) {
            return new Settings(library, sphinxbase, modelDirectory, decoders, acquireTimeout, maxUtterance);
        }

        public Settings withModelDirectory(Path modelDirectory) {
            return new Settings(library, sphinxbase, modelDirectory, decoders, acquireTimeout, maxUtterance);
        }

        public Settings withDecoders(int decoders, Duration acquireTimeout) {
            return new Settings(library, sphinxbase, modelDirectory, decoders, acquireTimeout, maxUtterance);
        }

        public Settings withMaxUtterance(Duration maxUtterance) {
            return new Settings(library, sphinxbase, modelDirectory, decoders, acquireTimeout, maxUtterance);
        }

        long maxUtteranceSamples() {
            return maxUtterance.toMillis() * SAMPLE_RATE / 1000;
        }
    }

    /** Downcall handles into libpocketsphinx and libsphinxbase. */
    record Functions(MethodHandle args, MethodHandle parseConfig, MethodHandle freeConfig, MethodHandle init,
                     MethodHandle features, MethodHandle getCepstralMean, MethodHandle setCepstralMean,
                     MethodHandle startStream, MethodHandle startUtterance, MethodHandle processRaw, MethodHandle endUtterance,
                     MethodHandle hypothesis, MethodHandle free) {
    }

    private final Settings settings;
    private final Functions functions;
    private final List<String> arguments;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    /** Decoders not in use; guarded by {@link #lock}. */
    private final ArrayDeque<PocketsphinxDecoder> idle = new ArrayDeque<>();
    /** Decoders that exist, idle or in use, or are being created; guarded by {@link #lock}. */
    private int decoders;
    private boolean closed;

    private PocketsphinxRecognizer(Settings settings, Functions functions, List<String> arguments) {
        this.settings = settings;
        this.functions = functions;
        this.arguments = arguments;
    }

    /** Loads Debian's pocketsphinx with {@link Settings#defaults()}. */
    public static PocketsphinxRecognizer load() throws EngineUnavailableException {
        return load(Settings.defaults());
    }

    /** Loads the libraries and model and creates the first decoder, so anything missing fails here. */
    public static PocketsphinxRecognizer load(Settings settings) throws EngineUnavailableException {
        List<String> arguments = modelArguments(settings.modelDirectory());
        NativeLibrary sphinxbase = NativeLibrary.open(settings.sphinxbase(), INSTALL_COMMAND);
        NativeLibrary pocketsphinx = NativeLibrary.open(settings.library(), INSTALL_COMMAND);
        ValueLayout pointer = ValueLayout.ADDRESS;
        ValueLayout integer = ValueLayout.JAVA_INT;
        Functions functions = new Functions(
                pocketsphinx.function("ps_args", FunctionDescriptor.of(pointer)),
                sphinxbase.function("cmd_ln_parse_r", FunctionDescriptor.of(pointer, pointer, pointer, integer, pointer, integer)),
                sphinxbase.function("cmd_ln_free_r", FunctionDescriptor.of(integer, pointer)),
                pocketsphinx.function("ps_init", FunctionDescriptor.of(pointer, pointer)),
                pocketsphinx.function("ps_get_feat", FunctionDescriptor.of(pointer, pointer)),
                sphinxbase.function("cmn_live_get", FunctionDescriptor.ofVoid(pointer, pointer)),
                sphinxbase.function("cmn_live_set", FunctionDescriptor.ofVoid(pointer, pointer)),
                pocketsphinx.function("ps_start_stream", FunctionDescriptor.of(integer, pointer)),
                pocketsphinx.function("ps_start_utt", FunctionDescriptor.of(integer, pointer)),
                pocketsphinx.function("ps_process_raw",
                        FunctionDescriptor.of(integer, pointer, pointer, ValueLayout.JAVA_LONG, integer, integer)),
                pocketsphinx.function("ps_end_utt", FunctionDescriptor.of(integer, pointer)),
                pocketsphinx.function("ps_get_hyp", FunctionDescriptor.of(pointer, pointer, pointer)),
                pocketsphinx.function("ps_free", FunctionDescriptor.of(integer, pointer)));
        MethodHandle silenceLog = sphinxbase.function("err_set_logfp", FunctionDescriptor.ofVoid(pointer));
        try {
            // Otherwise every decoder prints its whole configuration and model loading to stderr.
            silenceLog.invokeExact(MemorySegment.NULL);
        } catch (Throwable e) {
            throw new IllegalStateException("err_set_logfp failed", e);
        }
        PocketsphinxRecognizer recognizer = new PocketsphinxRecognizer(settings, functions, arguments);
        PocketsphinxDecoder first;
        try {
            first = recognizer.newDecoder();
        } catch (IllegalStateException e) {
            throw new EngineUnavailableException("pocketsphinx cannot load the model in " + settings.modelDirectory(),
                    INSTALL_COMMAND, e);
        }
        recognizer.lock.lock();
        try {
            recognizer.decoders = 1;
            recognizer.idle.push(first);
        } finally {
            recognizer.lock.unlock();
        }
        log.info("pocketsphinx loaded from {} with the model in {}", pocketsphinx.name(), settings.modelDirectory());
        return recognizer;
    }

    public Settings settings() {
        return settings;
    }

    /** The transcript of a whole utterance: lower-case words separated by spaces, empty if none were heard. */
    public String recognize(short[] samples) {
        return recognize(samples, 0, samples.length);
    }

    /** The transcript of {@code samples[offset .. offset + length)}. */
    public String recognize(short[] samples, int offset, int length) {
        return recognize(null, samples, offset, length);
    }

    String recognize(PocketsphinxChannel channel, short[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (length > settings.maxUtteranceSamples()) {
            throw new IllegalArgumentException(length + " samples exceed the longest utterance, "
                    + settings.maxUtterance());
        }
        try (PocketsphinxUtterance utterance = startUtterance(channel)) {
            utterance.feed(samples, offset, length);
            return utterance.finish();
        }
    }

    /**
     * Starts recognizing audio that arrives in pieces, independent of any other utterance. Waits up to the
     * acquire timeout for a free decoder.
     *
     * @throws IllegalStateException if none became free in time, or the recognizer is closed
     */
    public PocketsphinxUtterance startUtterance() {
        return startUtterance(null);
    }

    /** A channel for one audio source, such as a caller: its utterances adapt to it one after another. */
    public PocketsphinxChannel newChannel() {
        return new PocketsphinxChannel(this);
    }

    PocketsphinxUtterance startUtterance(PocketsphinxChannel channel) {
        PocketsphinxDecoder decoder = acquire();
        try {
            decoder.start(channel == null ? null : channel.mean());
        } catch (RuntimeException e) {
            release(decoder, false);
            throw e;
        }
        return new PocketsphinxUtterance(this, decoder, channel, settings.maxUtteranceSamples());
    }

    /** Frees the idle decoders now and the busy ones as their utterances end; new utterances are refused. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            while (!idle.isEmpty()) {
                idle.pop().free();
                decoders--;
            }
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a decoder back from a finished utterance; one in an unknown state ({@code reusable} false) is freed. */
    void release(PocketsphinxDecoder decoder, boolean reusable) {
        lock.lock();
        try {
            if (closed || !reusable) {
                decoders--;
                decoder.free();
            } else {
                idle.push(decoder);
            }
            released.signal();
        } finally {
            lock.unlock();
        }
    }

    private PocketsphinxDecoder acquire() {
        long deadline = System.nanoTime() + settings.acquireTimeout().toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("pocketsphinx recognizer is closed");
                }
                if (!idle.isEmpty()) {
                    return idle.pop();
                }
                if (decoders < settings.decoders()) {
                    decoders++;
                    break;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new IllegalStateException("all " + settings.decoders() + " pocketsphinx decoders stayed busy for "
                            + settings.acquireTimeout().toMillis() + " ms");
                }
                released.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a pocketsphinx decoder", e);
        } finally {
            lock.unlock();
        }
        // Loading a decoder reads the models (about a second): not while holding the lock.
        try {
            return newDecoder();
        } catch (RuntimeException e) {
            lock.lock();
            try {
                decoders--;
                released.signal();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    private PocketsphinxDecoder newDecoder() {
        Arena arena = Arena.ofShared();
        try {
            // cmd_ln_parse_r may keep pointers into argv, so the strings live as long as the decoder.
            MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, arguments.size());
            for (int i = 0; i < arguments.size(); i++) {
                argv.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(arguments.get(i)));
            }
            MemorySegment definitions = (MemorySegment) functions.args().invokeExact();
            MemorySegment config = (MemorySegment) functions.parseConfig().invokeExact(
                    MemorySegment.NULL, definitions, arguments.size(), argv, 1);
            if (config.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("pocketsphinx rejected the configuration " + arguments);
            }
            MemorySegment decoder = (MemorySegment) functions.init().invokeExact(config);
            // The decoder holds its own reference to the configuration.
            int ignored = (int) functions.freeConfig().invokeExact(config);
            if (decoder.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("ps_init failed with " + arguments);
            }
            try {
                return new PocketsphinxDecoder(functions, arena, decoder);
            } catch (RuntimeException e) {
                int freed = (int) functions.free().invokeExact(decoder);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable e) {
            arena.close();
            throw new IllegalStateException("creating a pocketsphinx decoder failed", e);
        }
    }

    /** Checked here because pocketsphinx exits the process on some missing model files. */
    private static List<String> modelArguments(Path directory) throws EngineUnavailableException {
        Path acoustic = directory.resolve("en-us");
        Path language = directory.resolve("en-us.lm.bin");
        Path dictionary = directory.resolve("cmudict-en-us.dict");
        for (Path required : List.of(acoustic.resolve("mdef"), acoustic.resolve("means"), acoustic.resolve("variances"),
                acoustic.resolve("transition_matrices"), acoustic.resolve("feat.params"), language, dictionary)) {
            if (!Files.isRegularFile(required)) {
                throw new EngineUnavailableException("pocketsphinx model file " + required + " is missing",
                        INSTALL_COMMAND);
            }
        }
        return List.of("-hmm", acoustic.toString(), "-lm", language.toString(), "-dict", dictionary.toString(),
                "-samprate", Integer.toString(SAMPLE_RATE));
    }
}
