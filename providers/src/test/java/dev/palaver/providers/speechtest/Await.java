package dev.palaver.providers.speechtest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition: polls until it holds or the deadline passes. */
public final class Await {

    private Await() {
    }

    public static boolean until(Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
