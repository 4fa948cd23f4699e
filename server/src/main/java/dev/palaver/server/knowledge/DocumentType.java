package dev.palaver.server.knowledge;

import java.util.Locale;
import java.util.Optional;

/** The kinds of document a knowledge base takes, by the media type they are stored under. */
enum DocumentType {
    TEXT("text/plain"),
    MARKDOWN("text/markdown"),
    HTML("text/html"),
    PDF("application/pdf");

    private final String mediaType;

    DocumentType(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    /** A declared media type (parameters ignored) that names one of these, with common aliases. */
    static Optional<DocumentType> ofMediaType(String declared) {
        String base = declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (base) {
            case "text/plain" -> TEXT;
            case "text/markdown", "text/x-markdown" -> MARKDOWN;
            case "text/html", "application/xhtml+xml" -> HTML;
            case "application/pdf", "application/x-pdf" -> PDF;
            default -> null;
        });
    }

    /** By file name extension, for uploads that declare no useful type. */
    static Optional<DocumentType> ofFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
            return Optional.of(MARKDOWN);
        }
        if (lower.endsWith(".html") || lower.endsWith(".htm") || lower.endsWith(".xhtml")) {
            return Optional.of(HTML);
        }
        if (lower.endsWith(".pdf")) {
            return Optional.of(PDF);
        }
        if (lower.endsWith(".txt") || lower.endsWith(".text")) {
            return Optional.of(TEXT);
        }
        return Optional.empty();
    }
}
