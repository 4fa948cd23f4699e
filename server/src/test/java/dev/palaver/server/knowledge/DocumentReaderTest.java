package dev.palaver.server.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

class DocumentReaderTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
            0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ErrorCode refusal(String name, String type, byte[] content) {
        try {
            DocumentReader.read(name, type, content);
        } catch (ApiException e) {
            return e.code();
        }
        throw new AssertionError("accepted " + name + " as " + type);
    }

    @Test
    void theContentMustBeWhatTheUploadDeclares() {
        assertThat(refusal("hours.pdf", "application/pdf", utf8("We are open every day."))).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(refusal("hours.txt", "text/plain", PNG)).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(refusal("logo.png", "image/png", PNG)).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(refusal("logo.png", "application/octet-stream", PNG)).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(refusal("a.md", "text/markdown", utf8("%PDF-1.7\n..."))).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThatThrownBy(() -> DocumentReader.read("x.pdf", "application/pdf", utf8("%PDF-1.4\nbroken")))
                .isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    }

    @Test
    void withoutADeclaredTypeTheContentAndNameDecide() {
        assertThat(DocumentReader.detect("notes.md", "", utf8("# Notes"))).isEqualTo(DocumentType.MARKDOWN);
        assertThat(DocumentReader.detect("page", "application/octet-stream", utf8("<!DOCTYPE html><html><p>Hi</p></html>")))
                .isEqualTo(DocumentType.HTML);
        assertThat(DocumentReader.detect("notes", "", utf8("Plain words."))).isEqualTo(DocumentType.TEXT);
        assertThat(DocumentReader.detect("scan.txt", "", utf8("junk\n%PDF-1.5 rest"))).isEqualTo(DocumentType.PDF);
    }

    @Test
    void markdownLosesItsMarkupButKeepsItsWords() {
        String text = DocumentReader.read("faq.md", "text/markdown", utf8("""
                # Opening *hours*

                - **Monday** to _Friday_: 9 am to 6 pm
                - See [our page](https://example.test/hours) or ![map](map.png)

                | Day | Hours |
                |-----|-------|
                | Saturday | 10 to 14 |

                ```
                code_stays = true
                ```
                > Quoted `inline` ~~old~~ snake_case_name
                """)).text();

        assertThat(text).isEqualTo("""
                Opening hours

                Monday to Friday: 9 am to 6 pm
                See our page or map

                Day | Hours
                Saturday | 10 to 14

                code_stays = true
                Quoted inline old snake_case_name""");
    }

    @Test
    void htmlGivesVisibleTextWithBlockBreaksAndNoScripts() {
        String text = DocumentReader.read("page.html", "text/html", utf8("""
                <html><head><title>Salon</title><style>p{color:red}</style><script>var secret=1;</script></head>
                <body><h1>Prices</h1><p>A haircut costs <b>30</b> euros.</p><ul><li>Colour: 55</li><li>Beard: 15</li></ul>
                <noscript>enable js</noscript></body></html>""")).text();

        assertThat(text).isEqualTo("Salon\n\nPrices\n\nA haircut costs 30 euros.\n\nColour: 55\nBeard: 15");
    }

    @Test
    void textThatIsNotUtf8IsReadAsWindows1252() {
        byte[] latin = "Caf\u00e9 cr\u00e8me".getBytes(java.nio.charset.Charset.forName("windows-1252"));
        assertThat(DocumentReader.read("menu.txt", "text/plain", latin).text()).isEqualTo("Caf\u00e9 cr\u00e8me");
        assertThat(DocumentReader.read("menu.txt", "text/plain; charset=utf-8", utf8("\uFEFFna\u00efve\r\n\r\n\r\nend")).text())
                .isEqualTo("na\u00efve\n\nend");
    }

    @Test
    void pdfTextIsExtractedWithLinesOfAParagraphJoined() {
        byte[] pdf = KnowledgeTesting.pdf("Parking is free for customers", "behind the building after 5 pm.");
        DocumentReader.ReadDocument read = DocumentReader.read("parking.pdf", "application/pdf", pdf);
        assertThat(read.type()).isEqualTo(DocumentType.PDF);
        assertThat(read.text()).isEqualTo("Parking is free for customers behind the building after 5 pm.");
    }
}
