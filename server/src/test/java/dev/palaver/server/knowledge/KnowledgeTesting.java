package dev.palaver.server.knowledge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import dev.palaver.server.testing.Http;

/** Documents and requests for knowledge tests. */
final class KnowledgeTesting {

    private KnowledgeTesting() {
    }

    /** A one-page PDF with each line of text on its own line of the page. */
    static byte[] pdf(String... lines) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.setLeading(14);
                content.newLineAtOffset(72, 700);
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                }
                content.endText();
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST of one file as multipart/form-data (part name {@code file}); a null type sends no Content-Type. */
    static HttpResponse<String> upload(Http http, String bearer, UUID knowledgeBaseId, String fileName, String type,
                                       byte[] content) {
        String boundary = "palaver-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + (type == null ? "" : "Content-Type: " + type + "\r\n") + "\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(http.request("/api/v1/knowledge-bases/" + knowledgeBaseId + "/documents")
                .header("Authorization", bearer)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    static HttpResponse<String> search(Http http, String bearer, UUID knowledgeBaseId, String query, int limit) {
        String json = "{\"query\":" + quote(query) + ",\"limit\":" + limit + "}";
        return http.postJson("/api/v1/knowledge-bases/" + knowledgeBaseId + "/search", json, "Authorization", bearer);
    }

    static UUID createBase(Http http, String bearer, String name) {
        HttpResponse<String> created = http.postJson("/api/v1/knowledge-bases", "{\"name\":" + quote(name) + "}",
                "Authorization", bearer);
        if (created.statusCode() != 201) {
            throw new AssertionError("creating a knowledge base: " + created.statusCode() + " " + created.body());
        }
        return UUID.fromString(Http.json(created).get("id").asString());
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
