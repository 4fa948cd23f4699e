package dev.palaver.providers.speechhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.time.VirtualScheduler;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.speechtest.RecordingSynthesisListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImmediateSynthesisTest {

    @Test
    void answersFromTheSchedulerNotFromInsideTheCall() {
        VirtualScheduler scheduler = new VirtualScheduler();
        RecordingSynthesisListener done = RecordingSynthesisListener.classified();
        RecordingSynthesisListener failed = RecordingSynthesisListener.classified();
        ImmediateSynthesis.done(scheduler, done);
        ImmediateSynthesis.failed(scheduler, failed, ProviderFailure.of("P", Kind.BAD_REQUEST, "too long"));
        assertThat(done.events()).isEmpty();
        assertThat(failed.events()).isEmpty();

        scheduler.advance(Duration.ZERO);

        assertThat(done.events()).containsExactly("done");
        assertThat(failed.events()).containsExactly("failure");
        assertThat(failed.failure().kind()).isEqualTo(Kind.BAD_REQUEST);
    }

    @Test
    void closedBeforeItsAnswerItNeverAnswers() {
        VirtualScheduler scheduler = new VirtualScheduler();
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        ImmediateSynthesis s = ImmediateSynthesis.done(scheduler, listener);
        s.close();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(listener.events()).isEmpty();
    }
}
