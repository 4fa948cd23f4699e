package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.transport.InMemoryTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterruptionTest {

    /**
     * Timeline (virtual ms): the caller speaks 0–1000; the turn ends at 1500 (silence began at 1000, plus
     * 500 ms endpointing); the first token comes at 1700. "Sure." plays as frames 1800–1840 (800 samples,
     * padded to 3 frames); the second sentence (56 characters, 8960 samples, 28 frames) plays from 1900.
     * The caller cuts in at 2000 and has spoken 400 ms at the frame of 2380, when 25 frames of the second
     * sentence have been sent and the 25th has just started: 24 × 320 = 7680 of 8960 samples played,
     * 48 of its 56 characters, so the last whole word heard is "the".
     */
    @Test
    void interruptionMidSentenceKeepsExactlyTheWordsPlayed() {
        CallHarness h = new CallHarness();
        h.sttScript.transcripts("When is my appointment?", "Wait, which Tuesday?");
        h.llmScript.replies(FakeReply.says("Sure. Your appointment is on Tuesday at 3:30 in the afternoon."));
        h.start();

        h.speakMillis(1000).silenceMillis(1000);
        assertThat(h.session.state()).isEqualTo(CallState.SPEAKING);
        h.speakMillis(400);

        assertThat(h.transport.clears()).isEqualTo(1);
        assertThat(h.lastAgentMessage()).isEqualTo(new AssistantMessage(
                "Sure. Your appointment is on Tuesday at 3:30 in the", List.of(), true));
        assertThat(h.session.state()).isEqualTo(CallState.USER_SPEAKING);
        assertThat(h.llm.openStreams()).isZero();
        assertThat(h.tts.openSyntheses()).isZero();
        assertThat(h.events(CallEvent.CallerInterrupted.class)).singleElement()
                .extracting(CallEvent.CallerInterrupted::heardText)
                .isEqualTo("Sure. Your appointment is on Tuesday at 3:30 in the");

        List<InMemoryTransport.Sent> sent = h.transport.sent();
        int clearAt = sent.indexOf(sent.stream().filter(InMemoryTransport.Clear.class::isInstance).findFirst().orElseThrow());
        assertThat(sent.subList(clearAt, sent.size())).noneMatch(InMemoryTransport.Audio.class::isInstance);

        h.speakMillis(400).silenceMillis(1000);
        assertThat(h.callerMessages()).containsExactly("When is my appointment?", "Wait, which Tuesday?");
        h.hangUpAndAssertReleased();
    }
}
