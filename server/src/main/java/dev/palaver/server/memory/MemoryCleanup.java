package dev.palaver.server.memory;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets callers whose memory has not changed for longer than the retention ({@code palaver.memory.retention}).
 * Deleting is idempotent, so several nodes may run it at once.
 */
@Component
class MemoryCleanup {

    private static final Logger log = LoggerFactory.getLogger(MemoryCleanup.class);

    private final CallerMemories memories;
    private final MemoryProperties props;

    MemoryCleanup(CallerMemories memories, MemoryProperties props) {
        this.memories = memories;
        this.props = props;
    }

    @Scheduled(initialDelayString = "${palaver.memory.cleanup-interval:1h}",
            fixedDelayString = "${palaver.memory.cleanup-interval:1h}")
    void run() {
        cleanup(Instant.now());
    }

    /** Deletes what is past retention at {@code now}; returns how many memories went. */
    int cleanup(Instant now) {
        if (props.retention().isZero()) {
            return 0;
        }
        int n = memories.deleteOlderThan(now.minus(props.retention()));
        if (n > 0) {
            log.info("Forgot {} callers whose memory was older than {}", n, props.retention());
        }
        return n;
    }
}
