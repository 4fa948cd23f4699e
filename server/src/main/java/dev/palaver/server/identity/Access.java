package dev.palaver.server.identity;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The rule of one API endpoint: the least role a signed-in member needs, and the scope an API key needs
 * (empty: API keys may not call it). Every {@code /api/v1} handler has one, or {@link PublicEndpoint};
 * a handler with neither is refused to everybody.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Access {
    Role role();

    String scope() default "";
}
