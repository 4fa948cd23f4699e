package dev.palaver.server.platform.crypto;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.palaver.server.platform.config.PalaverProperties;

@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {
    @Bean
    SecretBox secretBox(PalaverProperties props) {
        return SecretBox.fromConfig(props.encryptionKey(), props.dataDir());
    }
}
