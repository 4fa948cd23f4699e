package dev.palaver.server.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void sealedValuesOpenOnlyWithTheSameKeyAndContext(@TempDir Path dir) {
        SecretBox box = SecretBox.fromConfig(KEY, dir);
        byte[] sealed = box.encrypt("sk-live-123456789", "org-a:openai");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("sk-live");
        assertThat(box.decrypt(sealed, "org-a:openai")).isEqualTo("sk-live-123456789");
        assertThat(box.encrypt("sk-live-123456789", "org-a:openai")).as("fresh nonce each time").isNotEqualTo(sealed);

        assertThatThrownBy(() -> box.decrypt(sealed, "org-b:openai")).hasMessageNotContaining("sk-live");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> box.decrypt(sealed, "org-a:openai")).isInstanceOf(IllegalStateException.class);
        SecretBox other = SecretBox.fromConfig(Base64.getEncoder().encodeToString(new byte[32]), dir);
        assertThatThrownBy(() -> other.decrypt(box.encrypt("x", "c"), "c")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKeyThatIsNot32BytesOfBase64IsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> SecretBox.fromConfig("not base64!", dir)).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> SecretBox.fromConfig(Base64.getEncoder().encodeToString(new byte[16]), dir))
                .hasMessageContaining("32 bytes");
    }

    @Test
    void withoutAKeyOneIsGeneratedOnceAndReused(@TempDir Path dir) {
        byte[] sealed = SecretBox.fromConfig("", dir).encrypt("value", "ctx");
        assertThat(SecretBox.fromConfig(null, dir).decrypt(sealed, "ctx")).isEqualTo("value");
    }

    @Test
    void masksShowAtMostTheLastFourCharacters() {
        assertThat(SecretBox.mask("sk-abcdefghijklmnop")).isEqualTo("••••mnop");
        assertThat(SecretBox.mask("short")).isEqualTo("••••");
        assertThat(SecretBox.mask("")).isEmpty();
    }
}
