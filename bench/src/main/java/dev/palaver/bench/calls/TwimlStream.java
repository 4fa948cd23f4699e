package dev.palaver.bench.calls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What Twilio takes from a {@code <Response><Connect><Stream url="…"><Parameter name="…" value="…"/>}
 * answer: the media WebSocket's URL and the custom parameters it passes in the stream's {@code start}.
 */
public record TwimlStream(String url, Map<String, String> parameters) {

    /** Parses the TwiML; fails (with the document's text) when it holds no {@code <Connect><Stream>}. */
    public static TwimlStream parse(String twiml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
            NodeList streams = root.getElementsByTagName("Stream");
            if (!"Response".equals(root.getTagName()) || streams.getLength() != 1
                    || !"Connect".equals(streams.item(0).getParentNode().getNodeName())) {
                throw new IllegalArgumentException("no <Connect><Stream> in the TwiML: " + twiml);
            }
            Element stream = (Element) streams.item(0);
            Map<String, String> parameters = new LinkedHashMap<>();
            NodeList params = stream.getElementsByTagName("Parameter");
            for (int i = 0; i < params.getLength(); i++) {
                Element p = (Element) params.item(i);
                parameters.put(p.getAttribute("name"), p.getAttribute("value"));
            }
            String url = stream.getAttribute("url");
            if (url.isBlank()) {
                throw new IllegalArgumentException("<Stream> without a url: " + twiml);
            }
            return new TwimlStream(url, Map.copyOf(parameters));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("the answer is not TwiML: " + twiml, e);
        }
    }
}
