package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.fail;

/**
 * Loads the real offline engines for tests. Never skips: when a Debian package is missing the test fails and
 * names the command that installs it (scripts/test installs them all).
 */
final class DebianSpeech {
    private DebianSpeech() {
    }

    static FliteSynthesizer flite() {
        try {
            return FliteSynthesizer.load();
        } catch (EngineUnavailableException e) {
            return fail(missing(e), e);
        }
    }

    static PocketsphinxRecognizer pocketsphinx() {
        return pocketsphinx(PocketsphinxRecognizer.Settings.defaults());
    }

    static PocketsphinxRecognizer pocketsphinx(PocketsphinxRecognizer.Settings settings) {
        try {
            return PocketsphinxRecognizer.load(settings);
        } catch (EngineUnavailableException e) {
            return fail(missing(e), e);
        }
    }

    /** Fails unless both native engines load, so the fallback tests do not pass for the wrong reason. */
    static void requireInstalled() {
        flite();
        pocketsphinx().close();
    }

    private static String missing(EngineUnavailableException e) {
        return "These tests need Debian's flite and pocketsphinx: run `" + e.installCommand()
                + "` (scripts/test installs them). " + e.problem();
    }
}
