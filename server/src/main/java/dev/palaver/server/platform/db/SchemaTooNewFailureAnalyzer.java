package dev.palaver.server.platform.db;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says "schema too new" in plain words instead of a stack trace. */
final class SchemaTooNewFailureAnalyzer extends AbstractFailureAnalyzer<SchemaTooNewException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SchemaTooNewException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start the Palaver version that matches the database, or point PALAVER_DATABASE_URL at another database.", cause);
    }
}
