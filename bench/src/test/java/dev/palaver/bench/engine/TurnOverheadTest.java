package dev.palaver.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** Keeps the turn-overhead harness working: it must measure every turn. Timing is bench/run's job, not a test's. */
class TurnOverheadTest {

    @Test
    void measuresEveryTurnOfARealCall() throws Exception {
        TurnOverhead.Result result = TurnOverhead.run(2, 6, TurnOverhead.Caller.synthetic(), new PrintStream(OutputStream.nullOutputStream()));

        assertThat(result.turns()).hasSize(6);
        assertThat(result.turns()).extracting(TurnOverhead.Turn::number).containsExactly(1, 2, 3, 4, 5, 6);
        for (TurnOverhead.Turn turn : result.turns()) {
            assertThat(turn.overheadMillis()).isFinite().isNotNegative();
            assertThat(turn.engineOverheadMillis()).isFinite().isNotNegative();
        }
    }
}
