package dev.palaver.server.knowledge;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.palaver.server.platform.config.PalaverProperties;

@Configuration(proxyBeanMethods = false)
class KnowledgeConfiguration {

    /** The offline default; a deployment that defines another {@link Embedder} bean marks it primary. */
    @Bean(destroyMethod = "close")
    MiniLmEmbedder miniLmEmbedder(PalaverProperties props) {
        return new MiniLmEmbedder(props.dataDir().resolve("cache").resolve("djl"));
    }
}
