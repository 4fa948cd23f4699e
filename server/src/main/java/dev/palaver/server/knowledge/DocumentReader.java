package dev.palaver.server.knowledge;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Decides what an upload is from its bytes, not only from what the client declared, and extracts its text.
 * A declared type must agree with the content: a "PDF" that is not one, or "text" that is binary, is
 * refused. Without a useful declared type, the content and the file name decide.
 */
final class DocumentReader {

    /** The text of one document, as it will be chunked. */
    record ReadDocument(DocumentType type, String text) {
    }

    private static final String SUPPORTED = "text/plain, text/markdown, text/html or application/pdf";
    private static final Set<String> UNDECLARED = Set.of("", "application/octet-stream", "binary/octet-stream");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Pattern HTML_START = Pattern.compile(
            "(?is)^\\s*(<!--.*?-->\\s*)*<(!doctype\\s+html|html|head|body|title|h[1-6]|p|div|table|a|br|meta|style|script)[\\s>/].*");
    private static final Set<String> PARAGRAPH_BLOCKS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section",
            "article", "header", "footer", "main", "aside", "nav", "ul", "ol", "dl", "table", "blockquote", "pre",
            "figure", "form", "fieldset", "address", "details", "summary", "hr", "title");
    private static final Set<String> LINE_BLOCKS = Set.of("li", "tr", "dt", "dd", "br", "caption", "figcaption", "option");

    private DocumentReader() {
    }

    static ReadDocument read(String fileName, String declaredType, byte[] content) {
        DocumentType type = detect(fileName == null ? "" : fileName, declaredType == null ? "" : declaredType, content);
        String text = switch (type) {
            case PDF -> pdfText(content);
            case HTML -> htmlText(content);
            case MARKDOWN -> Markdown.toText(decodeText(content));
            case TEXT -> decodeText(content);
        };
        return new ReadDocument(type, normalize(text));
    }

    static DocumentType detect(String fileName, String declaredType, byte[] content) {
        boolean pdf = isPdf(content);
        boolean text = !pdf && isText(content);
        String declaredBase = declaredType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!UNDECLARED.contains(declaredBase)) {
            DocumentType declared = DocumentType.ofMediaType(declaredBase).orElseThrow(() -> new ApiException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Documents of type " + declaredBase + " are not supported; upload "
                    + SUPPORTED + "."));
            if (declared == DocumentType.PDF && !pdf) {
                throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "The file is declared as application/pdf but its content is not a PDF.");
            }
            if (declared != DocumentType.PDF && !text) {
                throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The file is declared as " + declared.mediaType()
                        + " but its content is " + (pdf ? "a PDF" : "not text") + ".");
            }
            return declared;
        }
        if (pdf) {
            return DocumentType.PDF;
        }
        if (!text) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The content is neither text nor PDF; upload " + SUPPORTED + ".");
        }
        DocumentType byName = DocumentType.ofFileName(fileName).filter(t -> t != DocumentType.PDF).orElse(null);
        if (byName != null) {
            return byName;
        }
        return HTML_START.matcher(head(decodeText(content), 2048)).matches() ? DocumentType.HTML : DocumentType.TEXT;
    }

    /** PDF files start with {@code %PDF-}; readers accept it anywhere in the first kilobyte. */
    static boolean isPdf(byte[] content) {
        byte[] magic = "%PDF-".getBytes(StandardCharsets.US_ASCII);
        int end = Math.min(content.length, 1024) - magic.length;
        for (int i = 0; i <= end; i++) {
            boolean match = true;
            for (int j = 0; j < magic.length && match; j++) {
                match = content[i + j] == magic[j];
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /**
     * Text: UTF-16 with a byte-order mark, or no NUL byte, valid UTF-8 (else Windows-1252) and almost no
     * control characters. Images, archives and executables fail on NULs or control characters.
     */
    static boolean isText(byte[] content) {
        if (hasUtf16Bom(content)) {
            return true;
        }
        for (byte b : content) {
            if (b == 0) {
                return false;
            }
        }
        String decoded = strictUtf8(content);
        return mostlyPrintable(decoded != null ? decoded : new String(content, WINDOWS_1252));
    }

    static String decodeText(byte[] content) {
        if (hasUtf16Bom(content)) {
            return stripBom(new String(content, StandardCharsets.UTF_16));
        }
        String utf8 = strictUtf8(content);
        return stripBom(utf8 != null ? utf8 : new String(content, WINDOWS_1252));
    }

    private static String pdfText(byte[] content) {
        try (PDDocument pdf = Loader.loadPDF(content)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setLineSeparator("\n");
            stripper.setParagraphEnd("\n\n");
            String text = stripper.getText(pdf);
            if (text.isBlank()) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED,
                        "The PDF has no extractable text (is it a scanned image?); upload a PDF with text.");
            }
            return unwrapLines(text);
        } catch (InvalidPasswordException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The PDF is password-protected; upload an unprotected copy.");
        } catch (IOException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The PDF could not be read; it is damaged or incomplete.");
        }
    }

    /** PDF lines are wrapped by layout: within a paragraph they join into one line. */
    private static String unwrapLines(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String paragraph : text.replace("\r\n", "\n").split("\n\\s*\n")) {
            String joined = paragraph.strip().replaceAll("\\s*\n\\s*", " ");
            if (!joined.isEmpty()) {
                out.append(joined).append("\n\n");
            }
        }
        return out.toString();
    }

    private static String htmlText(byte[] content) {
        Document doc;
        try {
            doc = Jsoup.parse(new ByteArrayInputStream(content), null, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        doc.select("script, style, noscript, template, svg, canvas, iframe, object, embed, head > :not(title)").remove();
        StringBuilder out = new StringBuilder();
        String title = doc.title().strip();
        if (!title.isEmpty()) {
            out.append(title).append("\n\n");
        }
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    boolean pre = t.parent() instanceof Element parent && parent.closest("pre") != null;
                    out.append(pre ? t.getWholeText() : t.text());
                } else if (node instanceof Element e) {
                    breakFor(e);
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e) {
                    breakFor(e);
                }
            }

            private void breakFor(Element e) {
                if (PARAGRAPH_BLOCKS.contains(e.normalName())) {
                    endWithNewlines(2);
                } else if (LINE_BLOCKS.contains(e.normalName())) {
                    endWithNewlines(1);
                } else if (e.normalName().equals("td") || e.normalName().equals("th")) {
                    out.append(' ');
                }
            }

            private void endWithNewlines(int n) {
                int have = 0;
                for (int i = out.length() - 1; i >= 0 && out.charAt(i) == '\n' && have < n; i--) {
                    have++;
                }
                out.append("\n".repeat(n - have));
            }
        }, doc.body());
        return out.toString();
    }

    /** Unicode NFC, one kind of line break, no control characters, trimmed lines, at most one blank line in a row. */
    static String normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC).replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(s.length());
        int blank = 0;
        for (String line : s.split("\n", -1)) {
            String clean = line.replace('\u00a0', ' ').replaceAll("[\\p{Cc}&&[^\\t]]", "").replaceAll("[ \\t]+", " ").strip();
            if (clean.isEmpty()) {
                blank++;
                continue;
            }
            if (!out.isEmpty()) {
                out.append(blank > 0 ? "\n\n" : "\n");
            }
            out.append(clean);
            blank = 0;
        }
        return out.toString();
    }

    private static String strictUtf8(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean mostlyPrintable(String text) {
        int control = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7f) {
                control++;
            }
        }
        return control <= text.length() / 100;
    }

    private static boolean hasUtf16Bom(byte[] b) {
        return b.length >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE));
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    private static String head(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }
}
