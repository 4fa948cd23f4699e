package dev.palaver.providers.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits on conditions: poll until true or the deadline passes. Never a fixed sleep. */
public final class Waits {

    private Waits() {
    }

    public static boolean until(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
