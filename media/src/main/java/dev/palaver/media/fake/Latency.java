package dev.palaver.media.fake;

import java.time.Duration;
import java.util.Random;

/** A delay for fake providers: fixed, or uniformly random from a seed (so runs repeat exactly). */
public sealed interface Latency permits Latency.Fixed, Latency.Uniform {

    Duration next();

    static Latency fixed(Duration delay) {
        return new Fixed(delay);
    }

    static Latency millis(long millis) {
        return new Fixed(Duration.ofMillis(millis));
    }

    static Latency uniform(Duration min, Duration max, long seed) {
        return new Uniform(min, max, new Random(seed));
    }

    record Fixed(Duration delay) implements Latency {
        @Override
        public Duration next() {
            return delay;
        }
    }

    record Uniform(Duration min, Duration max, Random random) implements Latency {
        public Uniform {
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max < min");
            }
        }

        @Override
        public Duration next() {
            long span = max.toNanos() - min.toNanos();
            synchronized (random) {
                return min.plusNanos(span == 0 ? 0 : random.nextLong(span + 1));
            }
        }
    }
}
