package dev.palaver.media.audio;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files holding 16-bit PCM, μ-law or A-law (plain or WAVE_FORMAT_EXTENSIBLE), any rate and
 * channel count. A data chunk whose size is unknown (0xFFFFFFFF, as streaming writers and an interrupted
 * {@link WavWriter} leave it) or larger than the file is read to the end of the file.
 */
public final class WavReader {
    static final int FORMAT_PCM = 1;
    static final int FORMAT_ALAW = 6;
    static final int FORMAT_MULAW = 7;
    static final int FORMAT_EXTENSIBLE = 0xFFFE;
    static final long UNKNOWN_SIZE = 0xFFFF_FFFFL;
    private static final int SKIP_STEP = 1 << 20;

    private WavReader() {
    }

    public static WavAudio read(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            return read(in);
        }
    }

    public static WavAudio read(InputStream in) throws IOException {
        requireTag(in, "RIFF");
        readUint32(in);
        requireTag(in, "WAVE");
        Format format = null;
        while (true) {
            String id = readTag(in);
            long size = readUint32(in);
            switch (id) {
                case "fmt " -> format = readFormat(in, size);
                case "data" -> {
                    if (format == null) {
                        throw new IOException("WAV data chunk before its fmt chunk");
                    }
                    return decode(format, readData(in, size));
                }
                default -> skip(in, size + (size & 1));
            }
        }
    }

    private record Format(int tag, int channels, int sampleRate, int bitsPerSample) {
        int bytesPerSample() {
            return bitsPerSample / 8;
        }
    }

    private static Format readFormat(InputStream in, long size) throws IOException {
        if (size < 16 || size > 1024) {
            throw new IOException("WAV fmt chunk of " + size + " bytes");
        }
        byte[] body = in.readNBytes((int) (size + (size & 1)));
        if (body.length < size) {
            throw new EOFException("WAV fmt chunk truncated");
        }
        int tag = uint16(body, 0);
        int channels = uint16(body, 2);
        long sampleRate = uint32(body, 4);
        int bitsPerSample = uint16(body, 14);
        if (tag == FORMAT_EXTENSIBLE) {
            if (size < 40) {
                throw new IOException("WAVE_FORMAT_EXTENSIBLE fmt chunk of " + size + " bytes");
            }
            tag = uint16(body, 24); // the sub-format GUID starts with the plain format tag
        }
        if (channels == 0 || sampleRate == 0 || sampleRate > 1_000_000) {
            throw new IOException("WAV with " + channels + " channels at " + sampleRate + " Hz");
        }
        boolean supported = switch (tag) {
            case FORMAT_PCM -> bitsPerSample == 16;
            case FORMAT_MULAW, FORMAT_ALAW -> bitsPerSample == 8;
            default -> false;
        };
        if (!supported) {
            throw new IOException("unsupported WAV encoding: format " + tag + ", " + bitsPerSample + " bits");
        }
        return new Format(tag, channels, (int) sampleRate, bitsPerSample);
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size == UNKNOWN_SIZE) {
            return in.readAllBytes();
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("WAV data chunk of " + size + " bytes is too large to read at once");
        }
        return in.readNBytes((int) size);
    }

    private static WavAudio decode(Format format, byte[] data) {
        int blockAlign = format.bytesPerSample() * format.channels();
        int samples = data.length / blockAlign * format.channels(); // a torn last frame is dropped
        short[] out = new short[samples];
        return switch (format.tag()) {
            case FORMAT_MULAW -> {
                MuLaw.decode(data, 0, out, 0, samples);
                yield new WavAudio(format.sampleRate(), format.channels(), out, WavAudio.Encoding.MULAW);
            }
            case FORMAT_ALAW -> {
                ALaw.decode(data, 0, out, 0, samples);
                yield new WavAudio(format.sampleRate(), format.channels(), out, WavAudio.Encoding.ALAW);
            }
            default -> {
                Pcm16.toSamples(data, 0, out, 0, samples);
                yield new WavAudio(format.sampleRate(), format.channels(), out, WavAudio.Encoding.PCM16);
            }
        };
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException("WAV chunk of " + bytes + " bytes before the audio");
        }
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(Math.min(left, SKIP_STEP));
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("WAV ended before its data chunk");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void requireTag(InputStream in, String expected) throws IOException {
        String tag = readTag(in);
        if (!tag.equals(expected)) {
            throw new IOException("not a WAV file: expected '" + expected + "', found '" + tag + "'");
        }
    }

    private static String readTag(InputStream in) throws IOException {
        byte[] tag = in.readNBytes(4);
        if (tag.length < 4) {
            throw new EOFException("WAV ended before its data chunk");
        }
        return new String(tag, StandardCharsets.ISO_8859_1);
    }

    private static long readUint32(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(4);
        if (bytes.length < 4) {
            throw new EOFException("WAV header truncated");
        }
        return uint32(bytes, 0);
    }

    static int uint16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static long uint32(byte[] b, int at) {
        return (uint16(b, at) | (long) uint16(b, at + 2) << 16);
    }
}
