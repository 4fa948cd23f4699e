package dev.palaver.server.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;

/** Time alignment of the two channels, retries that do not duplicate audio, and salvaging a dead node's file. */
class CallRecorderTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private static short[] frame(int value) {
        short[] f = new short[320];
        Arrays.fill(f, (short) value);
        return f;
    }

    @Test
    void eachSideLandsWhereItHappenedAndTheRecordingLastsAsLongAsTheCall() throws IOException {
        AtomicLong now = new AtomicLong(1_000 * MS);
        CallRecorder recorder = new CallRecorder(now::get, Duration.ofMinutes(1));
        LocalRecordingStorage storage = new LocalRecordingStorage(dir);
        RecordingStorage.Upload upload = storage.create("org/call");
        // The caller talks for the first second, frame by frame in real time.
        for (int i = 0; i < 50; i++) {
            recorder.callerAudio(frame(1000));
            now.addAndGet(20 * MS);
        }
        // Silence from the agent until 2 s in, then half a second of reply.
        now.set(3_000 * MS);
        for (int i = 0; i < 25; i++) {
            recorder.agentAudio(frame(-2000));
            now.addAndGet(20 * MS);
        }
        recorder.drain(upload);
        assertThat(upload.frames()).isGreaterThan(0);
        now.set(5_000 * MS);
        recorder.end();
        recorder.drain(upload);
        RecordingStorage.Stored stored = upload.finish();

        WavAudio wav = WavReader.read(dir.resolve("org/call.wav"));
        assertThat(wav.channels()).isEqualTo(2);
        assertThat(stored.durationMillis()).isEqualTo(4_000);
        short[] caller = wav.channel(0);
        short[] agent = wav.channel(1);
        assertThat(caller).hasSize(64_000);
        assertThat(caller[0]).isEqualTo((short) 1000);
        assertThat(caller[15_999]).isEqualTo((short) 1000);
        assertThat(caller[16_000]).isZero();
        // The agent's first frame came 2 s in; it lands within the jitter allowance of that.
        int firstAgent = 0;
        while (agent[firstAgent] == 0) {
            firstAgent++;
        }
        assertThat(firstAgent).isBetween(32_000 - (int) CallRecorder.JITTER, 32_000);
        assertThat(agent[firstAgent + 7_999]).isEqualTo((short) -2000);
        assertThat(agent[firstAgent + 8_000]).isZero();
        assertThat(stored.sha256()).isEqualTo(LocalRecordingStorage.sha256(dir.resolve("org/call.wav")));
    }

    @Test
    void aFailedAppendIsRetriedWithTheSameAudioAndNothingDoubles() throws IOException {
        AtomicLong now = new AtomicLong(0);
        CallRecorder recorder = new CallRecorder(now::get, Duration.ofMinutes(1));
        RecordingStorage.Upload real = new LocalRecordingStorage(dir).create("org/flaky");
        int[] failures = {2};
        RecordingStorage.Upload flaky = new RecordingStorage.Upload() {
            @Override
            public void append(short[] left, short[] right, int frames) throws IOException {
                if (failures[0]-- > 0) {
                    throw new IOException("disk full");
                }
                real.append(left, right, frames);
            }

            @Override
            public RecordingStorage.Stored finish() throws IOException {
                return real.finish();
            }

            @Override
            public long frames() {
                return real.frames();
            }
        };
        for (int i = 0; i < 100; i++) {
            recorder.callerAudio(frame(i + 1));
            now.addAndGet(20 * MS);
        }
        recorder.end();
        assertThatThrownBy(() -> recorder.drain(flaky)).hasMessage("disk full");
        assertThatThrownBy(() -> recorder.drain(flaky)).hasMessage("disk full");
        recorder.drain(flaky);
        flaky.finish();
        short[] caller = WavReader.read(dir.resolve("org/flaky.wav")).channel(0);
        assertThat(caller).hasSize(32_000);
        for (int i = 0; i < 100; i++) {
            assertThat(caller[i * 320]).isEqualTo((short) (i + 1));
        }
    }

    @Test
    void aRecordingLeftByADeadNodeIsSalvagedUpToItsLastWrite() throws IOException {
        LocalRecordingStorage storage = new LocalRecordingStorage(dir);
        RecordingStorage.Upload upload = storage.create("org/lost");
        upload.append(frame(5), frame(7), 320);
        // No finish: the node died. Its header still declares an unknown length.
        RecordingStorage.Stored salvaged = storage.salvage("org/lost").orElseThrow();
        assertThat(salvaged.durationMillis()).isEqualTo(20);
        WavAudio wav = WavReader.read(dir.resolve("org/lost.wav"));
        assertThat(wav.frames()).isEqualTo(320);
        assertThat(wav.channel(1)[319]).isEqualTo((short) 7);
        assertThat(storage.salvage("org/none")).isEmpty();
        assertThat(Files.exists(dir.resolve("org/lost.wav"))).isTrue();
        assertThatThrownBy(() -> storage.create("../escape")).isInstanceOf(IllegalArgumentException.class);
    }
}
