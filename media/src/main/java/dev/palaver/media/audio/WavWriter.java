package dev.palaver.media.audio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes a PCM16 WAV file incrementally, as audio arrives. The header is written first with unknown sizes
 * (0xFFFFFFFF, the streaming convention that {@link WavReader} and most tools read to the end of the file)
 * and patched with the real sizes on {@link #flush} and {@link #close}; if the process dies in between, the
 * file stays readable and {@link #repair} fixes its header. Used by one thread; no allocation per write.
 */
public final class WavWriter implements Closeable {
    static final int HEADER_BYTES = 44;
    private static final int RIFF_SIZE_OFFSET = 4;
    private static final int DATA_SIZE_OFFSET = 40;
    private static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - (HEADER_BYTES - 8);
    private static final int BUFFER_BYTES = 32 * 1024;

    private final Path path;
    private final int sampleRate;
    private final int channels;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer sizeField = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private long dataBytes;
    private boolean closed;

    private WavWriter(Path path, int sampleRate, int channels, FileChannel channel) {
        this.path = path;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.channel = channel;
    }

    /** Creates (or truncates) {@code path} and writes the header. */
    public static WavWriter create(Path path, int sampleRate, int channels) throws IOException {
        if (sampleRate <= 0 || channels <= 0 || channels > 8) {
            throw new IllegalArgumentException("WAV of " + channels + " channels at " + sampleRate + " Hz");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            ByteBuffer header = streamingHeader(sampleRate, channels);
            while (header.hasRemaining()) {
                channel.write(header);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new WavWriter(path, sampleRate, channels, channel);
    }

    /** Writes a whole file at once. */
    public static void write(Path path, WavAudio audio) throws IOException {
        try (WavWriter writer = create(path, audio.sampleRate(), audio.channels())) {
            writer.write(audio.samples(), 0, audio.samples().length);
        }
    }

    public Path path() {
        return path;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Frames (one sample per channel) written so far. */
    public long framesWritten() {
        return (dataBytes + buffer.position()) / (2L * channels);
    }

    /** Writes {@code length} interleaved samples; {@code length} must be a whole number of frames. */
    public void write(short[] samples, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (length % channels != 0) {
            throw new IllegalArgumentException(length + " samples is not a whole number of " + channels + "-channel frames");
        }
        ensureOpen();
        reserve(2L * length);
        for (int i = 0; i < length; i++) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.putShort(samples[offset + i]);
        }
    }

    /**
     * Writes {@code frames} two-channel frames interleaving {@code left} and {@code right} (for call
     * recordings: caller left, agent right). A null side is written as silence.
     */
    public void writeStereo(short[] left, int leftOffset, short[] right, int rightOffset, int frames)
            throws IOException {
        if (channels != 2) {
            throw new IllegalStateException("writeStereo on a " + channels + "-channel WAV");
        }
        if (left != null) {
            Objects.checkFromIndexSize(leftOffset, frames, left.length);
        }
        if (right != null) {
            Objects.checkFromIndexSize(rightOffset, frames, right.length);
        }
        ensureOpen();
        reserve(4L * frames);
        for (int i = 0; i < frames; i++) {
            if (buffer.remaining() < 4) {
                drain();
            }
            buffer.putShort(left == null ? 0 : left[leftOffset + i]);
            buffer.putShort(right == null ? 0 : right[rightOffset + i]);
        }
    }

    /** Hands buffered audio to the file system and patches the header, so the file is complete as of now. */
    public void flush() throws IOException {
        ensureOpen();
        drain();
        patchSizes();
    }

    /** Flushes, forces the file to storage and closes it. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            drain();
            patchSizes();
            channel.force(true);
        }
    }

    /**
     * Fixes the sizes in the header of a PCM16 WAV left by a writer that never closed, counting the data to
     * the end of the file (a torn last frame is cut off).
     *
     * @return the number of frames the file now declares
     */
    public static long repair(Path path) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] bytes = new byte[HEADER_BYTES];
            if (!readFully(file, ByteBuffer.wrap(bytes)) || !tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE")
                    || !tag(bytes, 12, "fmt ") || !tag(bytes, 36, "data")
                    || WavReader.uint16(bytes, 20) != WavReader.FORMAT_PCM || WavReader.uint16(bytes, 34) != 16) {
                throw new IOException(path + " is not a PCM16 WAV as WavWriter writes them");
            }
            int blockAlign = WavReader.uint16(bytes, 32);
            if (blockAlign == 0) {
                throw new IOException(path + " has a zero block size");
            }
            long data = Math.min(file.size() - HEADER_BYTES, MAX_DATA_BYTES);
            data -= data % blockAlign;
            file.truncate(HEADER_BYTES + data);
            writeSize(file, RIFF_SIZE_OFFSET, data + HEADER_BYTES - 8);
            writeSize(file, DATA_SIZE_OFFSET, data);
            file.force(true);
            return data / blockAlign;
        }
    }

    private void reserve(long bytes) throws IOException {
        if (dataBytes + buffer.position() + bytes > MAX_DATA_BYTES) {
            throw new IOException(path + " would exceed the 4 GiB WAV size limit");
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            dataBytes += channel.write(buffer);
        }
        buffer.clear();
    }

    private void patchSizes() throws IOException {
        sizeField.clear().putInt((int) (dataBytes + HEADER_BYTES - 8)).flip();
        channel.write(sizeField, RIFF_SIZE_OFFSET);
        sizeField.clear().putInt((int) dataBytes).flip();
        channel.write(sizeField, DATA_SIZE_OFFSET);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(path + " is closed");
        }
    }

    private static void writeSize(FileChannel file, int offset, long size) throws IOException {
        ByteBuffer field = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) size).flip();
        file.write(field, offset);
    }

    private static boolean readFully(FileChannel file, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (file.read(into, into.position()) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean tag(byte[] bytes, int at, String tag) {
        return new String(bytes, at, 4, StandardCharsets.ISO_8859_1).equals(tag);
    }

    private static ByteBuffer streamingHeader(int sampleRate, int channels) {
        int blockAlign = 2 * channels;
        return ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.ISO_8859_1))
                .putInt((int) WavReader.UNKNOWN_SIZE)
                .put("WAVE".getBytes(StandardCharsets.ISO_8859_1))
                .put("fmt ".getBytes(StandardCharsets.ISO_8859_1))
                .putInt(16)
                .putShort((short) WavReader.FORMAT_PCM)
                .putShort((short) channels)
                .putInt(sampleRate)
                .putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign)
                .putShort((short) 16)
                .put("data".getBytes(StandardCharsets.ISO_8859_1))
                .putInt((int) WavReader.UNKNOWN_SIZE)
                .flip();
    }
}
