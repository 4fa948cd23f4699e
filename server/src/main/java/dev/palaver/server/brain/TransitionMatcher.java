package dev.palaver.server.brain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.palaver.server.agents.AgentDefinition.Transition;
import dev.palaver.server.knowledge.Embedder;

/**
 * Picks the transition whose example phrases are closest in meaning to what the caller said: cosine
 * similarity of sentence embeddings (the knowledge embedder, MiniLM offline), at least the threshold. If
 * the embedder fails, word overlap stands in, so a flow keeps working. Example vectors are cached (bounded).
 */
@Component
class TransitionMatcher {

    private static final Logger log = LoggerFactory.getLogger(TransitionMatcher.class);
    private static final int MAX_CACHED = 20_000;
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "i", "i'd", "i'm", "you", "your", "to",
            "is", "are", "do", "does", "can", "could", "would", "what", "me", "my", "of", "for", "on", "in", "at",
            "and", "or", "it", "be", "like", "please", "we", "us", "have", "how", "want");

    private final Embedder embedder;
    private final double threshold;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    TransitionMatcher(Embedder embedder, BrainProperties props) {
        this.embedder = embedder;
        this.threshold = props.flowMatchThreshold();
    }

    /** The example transition that best matches {@code utterance}, if any is close enough. */
    Optional<Transition> best(String utterance, List<Transition> transitions) {
        List<Transition> candidates = transitions.stream().filter(t -> !t.examples().isEmpty()).toList();
        if (candidates.isEmpty() || utterance.isBlank()) {
            return Optional.empty();
        }
        try {
            float[] said = embedder.embed(utterance);
            Transition best = null;
            double bestScore = threshold;
            for (Transition t : candidates) {
                for (float[] example : vectors(t.examples())) {
                    double score = cosine(said, example);
                    if (score >= bestScore) {
                        bestScore = score;
                        best = t;
                    }
                }
            }
            return Optional.ofNullable(best);
        } catch (RuntimeException e) {
            log.warn("Flow transitions fell back to word overlap: the embedder failed ({})", e.toString());
            return byWords(utterance, candidates);
        }
    }

    private List<float[]> vectors(List<String> examples) {
        List<String> missing = examples.stream().filter(e -> !cache.containsKey(e)).distinct().toList();
        if (!missing.isEmpty()) {
            float[][] computed = embedder.embed(missing);
            if (cache.size() + missing.size() > MAX_CACHED) {
                cache.clear();
            }
            for (int i = 0; i < missing.size(); i++) {
                cache.put(missing.get(i), computed[i]);
            }
        }
        List<float[]> out = new ArrayList<>();
        for (String e : examples) {
            float[] v = cache.get(e);
            out.add(v != null ? v : embedder.embed(e));
        }
        return out;
    }

    private static Optional<Transition> byWords(String utterance, List<Transition> candidates) {
        Set<String> said = words(utterance);
        Transition best = null;
        double bestScore = 0.34;
        for (Transition t : candidates) {
            for (String example : t.examples()) {
                Set<String> ex = words(example);
                if (ex.isEmpty()) {
                    continue;
                }
                Set<String> common = new HashSet<>(ex);
                common.retainAll(said);
                double score = (double) common.size() / ex.size();
                if (score > bestScore) {
                    bestScore = score;
                    best = t;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
            if (!w.isBlank() && !STOP_WORDS.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
