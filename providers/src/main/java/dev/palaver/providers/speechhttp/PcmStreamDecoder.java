package dev.palaver.providers.speechhttp;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Resampler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Turns a stream of PCM16 little-endian mono bytes, cut anywhere (a sample may straddle two chunks), into
 * the engine's 16 kHz samples, resampling with the media {@link Resampler}. A stream that starts with a
 * RIFF/WAVE header (some providers wrap PCM in one unless told not to) has the header removed, and its
 * sample rate wins over the one expected. Used by one thread at a time.
 */
public final class PcmStreamDecoder {

    /** Headers longer than this (a huge LIST chunk) are refused rather than buffered. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final int expectedRate;
    private Resampler resampler;
    private int carry = -1;
    private long bytes;
    private long samplesOut;
    private boolean headerChecked;
    private ByteBuffer header;

    /** @param inputRate the sample rate the provider was asked for */
    public PcmStreamDecoder(int inputRate) {
        if (inputRate <= 0) {
            throw new IllegalArgumentException("sample rate " + inputRate);
        }
        this.expectedRate = inputRate;
    }

    /** The sample rate being decoded (the WAV header's, if there was one). */
    public int inputRate() {
        return resampler == null ? expectedRate : resampler.inputRate();
    }

    /** Audio bytes seen so far, not counting a WAV header. */
    public long audioBytes() {
        return bytes;
    }

    /** 16 kHz samples produced so far. */
    public long samplesOut() {
        return samplesOut;
    }

    /**
     * Decodes the next chunk; returns the 16 kHz samples it completes (possibly none).
     *
     * @throws IllegalStateException if the stream has a WAV header that is not PCM16 mono
     */
    public short[] decode(ByteBuffer chunk) {
        ByteBuffer data = chunk;
        if (!headerChecked) {
            data = stripHeader(chunk);
            if (data == null) {
                return new short[0];
            }
        }
        return decodeAudio(data);
    }

    private short[] decodeAudio(ByteBuffer data) {
        int available = data.remaining() + (carry >= 0 ? 1 : 0);
        int samples = available / 2;
        bytes += data.remaining();
        short[] pcm = new short[samples];
        int at = 0;
        if (carry >= 0 && samples > 0) {
            pcm[at++] = (short) (carry | data.get() << 8);
            carry = -1;
        }
        int rest = samples - at;
        // Straight from the body's buffer into samples: no byte[] copy in between.
        data.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pcm, at, rest);
        data.position(data.position() + 2 * rest);
        if (data.hasRemaining()) {
            carry = data.get() & 0xFF;
        }
        return resample(pcm, samples);
    }

    /**
     * Ends the stream: returns the last samples still inside the resampling filter (the tail of the audio
     * would otherwise be lost to its delay). A dangling odd byte is dropped.
     */
    public short[] finish() {
        short[] rest = new short[0];
        if (!headerChecked && header != null && header.position() > 0
                && !(header.position() >= 4 && tag(0, "RIFF"))) {
            // A stream too short to tell whether it had a header: it had none.
            rest = decodeAudio(done(0, ByteBuffer.allocate(0)));
        }
        header = null;
        carry = -1;
        Resampler r = resampler();
        if (r.inputRate() == r.outputRate() || samplesOut == 0) {
            return rest;
        }
        int zeros = (int) Math.ceil(r.delaySeconds() * r.inputRate()) + 1;
        short[] tail = resample(new short[zeros], zeros);
        short[] out = java.util.Arrays.copyOf(rest, rest.length + tail.length);
        System.arraycopy(tail, 0, out, rest.length, tail.length);
        return out;
    }

    private short[] resample(short[] pcm, int length) {
        Resampler r = resampler();
        if (r.inputRate() == r.outputRate() && length == pcm.length) {
            samplesOut += length;
            return pcm;
        }
        short[] out = new short[r.outputLength(length)];
        int written = r.process(pcm, 0, length, out, 0);
        samplesOut += written;
        return out;
    }

    private Resampler resampler() {
        if (resampler == null) {
            resampler = new Resampler(expectedRate, AudioFormat.SAMPLE_RATE);
        }
        return resampler;
    }

    /** Returns the audio after a WAV header, or null while more bytes are needed to decide. */
    private ByteBuffer stripHeader(ByteBuffer chunk) {
        if (header == null) {
            header = ByteBuffer.allocate(MAX_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }
        int room = header.remaining();
        int copy = Math.min(room, chunk.remaining());
        ByteBuffer slice = chunk.slice(chunk.position(), copy);
        header.put(slice);
        chunk.position(chunk.position() + copy);
        int have = header.position();
        if (have < 4) {
            return null;
        }
        if (!tag(0, "RIFF")) {
            return done(0, chunk);
        }
        if (have < 12) {
            return null;
        }
        if (!tag(8, "WAVE")) {
            throw new IllegalStateException("RIFF stream that is not WAVE");
        }
        int at = 12;
        int rate = -1;
        while (true) {
            if (at + 8 > have) {
                if (have == MAX_HEADER_BYTES) {
                    throw new IllegalStateException("WAV header longer than " + MAX_HEADER_BYTES + " bytes");
                }
                return null;
            }
            long size = header.getInt(at + 4) & 0xFFFF_FFFFL;
            if (tag(at, "data")) {
                if (rate < 0) {
                    throw new IllegalStateException("WAV data before its format");
                }
                if (rate != expectedRate) {
                    resampler = new Resampler(rate, AudioFormat.SAMPLE_RATE);
                }
                return done(at + 8, chunk);
            }
            if (at + 8 + size > MAX_HEADER_BYTES) {
                throw new IllegalStateException("WAV header longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (at + 8 + size > have) {
                return null;
            }
            if (tag(at, "fmt ")) {
                int format = header.getShort(at + 8) & 0xFFFF;
                int channels = header.getShort(at + 10) & 0xFFFF;
                int bits = header.getShort(at + 22) & 0xFFFF;
                if (size < 16 || format != 1 || channels != 1 || bits != 16) {
                    throw new IllegalStateException("WAV audio is not PCM16 mono (format " + format + ", "
                            + channels + " channels, " + bits + " bits)");
                }
                rate = header.getInt(at + 12);
                if (rate <= 0) {
                    throw new IllegalStateException("WAV sample rate " + rate);
                }
            }
            at += 8 + (int) size + (int) (size & 1);
        }
    }

    /** Audio starts at {@code offset} of the buffered header bytes, followed by the rest of {@code chunk}. */
    private ByteBuffer done(int offset, ByteBuffer chunk) {
        headerChecked = true;
        int buffered = header.position();
        ByteBuffer out = ByteBuffer.allocate(buffered - offset + chunk.remaining());
        out.put(header.array(), offset, buffered - offset);
        out.put(chunk);
        header = null;
        return out.flip();
    }

    private boolean tag(int at, String tag) {
        return new String(header.array(), at, 4, StandardCharsets.ISO_8859_1).equals(tag);
    }
}
