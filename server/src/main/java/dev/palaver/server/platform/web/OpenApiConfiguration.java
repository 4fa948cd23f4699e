package dev.palaver.server.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description's title, and the one way to authenticate: a bearer access token or API key. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI palaverOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Palaver API").version("v1")
                        .description("Voice AI agents: identity, agents, calls. Errors are application/problem+json "
                                + "with a stable `code` and the `requestId`; lists are cursor-paginated."))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An access token from POST /api/v1/auth/login, or an API key (plv_…)")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
