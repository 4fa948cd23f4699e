package dev.palaver.bench.calls;

import java.util.Arrays;

/**
 * What all simulated callers measured during one window, written by the ticker thread and taken by the suite.
 * Synchronized: the two threads meet only at {@link #take()}.
 */
final class CallerMeasures {

    /** A growable array of doubles (millions of pacing samples at high load). */
    static final class Samples {
        private double[] values = new double[1024];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** One window's figures. */
    record Window(double[] overheadMs, double[] pacingErrorMs, double[] bargeInMs, double[] tickLateMs,
            long turns, long underruns, long framesAfterClear, long bargeInsMissed, long noAnswer, long errors,
            long framesPlayed) {
    }

    private Samples overhead = new Samples();
    private Samples pacing = new Samples();
    private Samples bargeIn = new Samples();
    private Samples tickLate = new Samples();
    private long turns;
    private long underruns;
    private long framesAfterClear;
    private long bargeInsMissed;
    private long noAnswer;
    private long errors;
    private long framesPlayed;

    synchronized void overhead(double ms) {
        overhead.add(ms);
        turns++;
    }

    synchronized void pacing(double ms) {
        pacing.add(ms);
    }

    synchronized void bargeIn(double ms) {
        bargeIn.add(ms);
    }

    synchronized void tickLate(double ms) {
        tickLate.add(ms);
    }

    synchronized void underrun() {
        underruns++;
    }

    synchronized void frameAfterClear() {
        framesAfterClear++;
    }

    synchronized void bargeInMissed() {
        bargeInsMissed++;
    }

    synchronized void noAnswer() {
        noAnswer++;
    }

    synchronized void error() {
        errors++;
    }

    synchronized void played() {
        framesPlayed++;
    }

    /** The window so far; starts a new one. */
    synchronized Window take() {
        Window w = new Window(overhead.toArray(), pacing.toArray(), bargeIn.toArray(), tickLate.toArray(), turns,
                underruns, framesAfterClear, bargeInsMissed, noAnswer, errors, framesPlayed);
        overhead = new Samples();
        pacing = new Samples();
        bargeIn = new Samples();
        tickLate = new Samples();
        turns = underruns = framesAfterClear = bargeInsMissed = noAnswer = errors = framesPlayed = 0;
        return w;
    }
}
