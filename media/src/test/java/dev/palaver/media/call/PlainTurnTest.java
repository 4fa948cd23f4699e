package dev.palaver.media.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.fake.FakeReply;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.UserMessage;
import org.junit.jupiter.api.Test;

class PlainTurnTest {

    @Test
    void greetsThenAnswersOneTurn() {
        CallHarness h = new CallHarness();
        h.settings.firstMessage("Hello.");
        h.sttScript.transcripts("What time is it?");
        h.llmScript.replies(FakeReply.says("It is noon."));
        h.start();

        h.silenceMillis(400);
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        assertThat(h.lastAgentMessage()).isEqualTo(AssistantMessage.of("Hello."));

        h.speakMillis(1000).silenceMillis(2000);

        assertThat(h.conversation()).containsExactly(
                AssistantMessage.of("Hello."),
                new UserMessage("What time is it?"),
                AssistantMessage.of("It is noon."));
        assertThat(h.session.state()).isEqualTo(CallState.LISTENING);
        h.hangUpAndAssertReleased();
    }
}
