package dev.palaver.server.calls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.WavWriter;

/**
 * Recordings as WAV files under one directory ({@code $PALAVER_DATA_DIR/recordings} by default). Audio is
 * written at explicit file positions, so retrying a failed append rewrites the same bytes instead of
 * duplicating them. The header declares unknown sizes until {@link Upload#finish()}; a file a dead node
 * left behind is repaired by {@link #salvage}.
 */
final class LocalRecordingStorage implements RecordingStorage {

    static final int CHANNELS = 2;
    private static final int HEADER_BYTES = 44;
    private static final int FRAME_BYTES = 2 * CHANNELS;
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*");

    private final Path root;

    LocalRecordingStorage(Path root) {
        this.root = root;
    }

    @Override
    public Upload create(String key) throws IOException {
        Path file = path(key);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ);
        try {
            writeFully(channel, header(0xFFFF_FFFFL - 36), 0);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new LocalUpload(file, channel);
    }

    @Override
    public Optional<Resource> open(String key) {
        Path file = path(key);
        return Files.isRegularFile(file) ? Optional.of(new FileSystemResource(file)) : Optional.empty();
    }

    @Override
    public Optional<Stored> salvage(String key) throws IOException {
        Path file = path(key);
        if (!Files.isRegularFile(file) || Files.size(file) < HEADER_BYTES) {
            return Optional.empty();
        }
        long frames = WavWriter.repair(file);
        return Optional.of(new Stored(Files.size(file), durationMillis(frames), sha256(file)));
    }

    private Path path(String key) {
        if (!SAFE_KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("unsafe recording key");
        }
        return root.resolve(key + ".wav");
    }

    static long durationMillis(long frames) {
        return frames * 1000 / AudioFormat.SAMPLE_RATE;
    }

    static ByteBuffer header(long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt((int) (dataBytes + 36)).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) CHANNELS)
                .putInt(AudioFormat.SAMPLE_RATE).putInt(AudioFormat.SAMPLE_RATE * FRAME_BYTES)
                .putShort((short) FRAME_BYTES).putShort((short) 16);
        b.put("data".getBytes()).putInt((int) dataBytes);
        return b.flip();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private static final class LocalUpload implements Upload {
        private final Path file;
        private final FileChannel channel;
        private long frames;
        private Stored stored;

        LocalUpload(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        @Override
        public void append(short[] left, short[] right, int count) throws IOException {
            if (stored != null) {
                throw new IOException("recording already finished");
            }
            ByteBuffer b = ByteBuffer.allocate(count * FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                b.putShort(left[i]).putShort(right[i]);
            }
            writeFully(channel, b.flip(), HEADER_BYTES + frames * FRAME_BYTES);
            frames += count;
        }

        @Override
        public Stored finish() throws IOException {
            if (stored == null) {
                long data = frames * FRAME_BYTES;
                channel.truncate(HEADER_BYTES + data);
                writeFully(channel, header(data), 0);
                channel.force(true);
                channel.close();
                stored = new Stored(HEADER_BYTES + data, durationMillis(frames), sha256(file));
            }
            return stored;
        }

        @Override
        public long frames() {
            return frames;
        }
    }
}
