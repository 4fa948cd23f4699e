package dev.palaver.media.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryTransportTest {

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<String> heard = new ArrayList<>();
    private final Transport.Listener listener = new Transport.Listener() {
        @Override
        public void onAudio(short[] frame) {
            heard.add("audio:" + frame.length);
        }

        @Override
        public void onMarkPlayed(String name) {
            heard.add("mark:" + name);
        }

        @Override
        public void onDtmf(char digit) {
            heard.add("dtmf:" + digit);
        }

        @Override
        public void onClosed() {
            heard.add("closed");
        }
    };

    @Test
    void recordsWhatTheCallSendsWithTheClockReading() {
        InMemoryTransport transport = new InMemoryTransport(clock, false);
        transport.start(listener);
        transport.sendAudio(new short[320]);
        clock.advance(Duration.ofMillis(20));
        transport.sendMark("m1");
        transport.sendDtmf("12#");
        transport.hangUp();

        assertThat(transport.framesSent()).isEqualTo(1);
        assertThat(transport.audioSent().getFirst().atNanos()).isZero();
        assertThat(transport.sent().get(1)).isEqualTo(new InMemoryTransport.Mark(20_000_000L, "m1"));
        assertThat(transport.marksSent()).containsExactly("m1");
        assertThat(transport.dtmfSent()).containsExactly("12#");
        assertThat(transport.hungUp()).isTrue();
    }

    @Test
    void marksArePlayedWhenTheTestSaysSo() {
        InMemoryTransport transport = new InMemoryTransport(clock, false);
        transport.start(listener);
        transport.sendMark("a");
        transport.sendMark("b");
        assertThat(heard).isEmpty();
        assertThat(transport.pendingMarks()).containsExactly("a", "b");

        transport.playPendingMarks();

        assertThat(heard).containsExactly("mark:a", "mark:b");
        assertThat(transport.pendingMarks()).isEmpty();
    }

    @Test
    void marksCanBePlayedAtOnce() {
        InMemoryTransport transport = new InMemoryTransport(clock, true);
        transport.start(listener);
        transport.sendMark("a");
        assertThat(heard).containsExactly("mark:a");
    }

    @Test
    void clearReportsPendingMarksPlayedAsTwilioDoes() {
        InMemoryTransport transport = new InMemoryTransport(clock, false);
        transport.start(listener);
        transport.sendMark("a");
        transport.clear();
        assertThat(transport.clears()).isEqualTo(1);
        assertThat(heard).containsExactly("mark:a");
        assertThat(transport.pendingMarks()).isEmpty();
    }

    @Test
    void deliversTheCallersAudioKeysAndHangUp() {
        InMemoryTransport transport = new InMemoryTransport(clock, false);
        transport.start(listener);
        transport.receiveAudio(new short[320]);
        transport.receiveDtmf('5');
        transport.closeByCaller();
        assertThat(heard).containsExactly("audio:320", "dtmf:5", "closed");
    }

    @Test
    void startsOnlyOnceAndNeedsStarting() {
        InMemoryTransport transport = new InMemoryTransport(clock, false);
        assertThatThrownBy(() -> transport.receiveDtmf('1')).isInstanceOf(IllegalStateException.class);
        transport.start(listener);
        assertThatThrownBy(() -> transport.start(listener)).isInstanceOf(IllegalStateException.class);
    }
}
