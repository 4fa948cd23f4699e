package dev.palaver.server.identity;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An API endpoint anyone may call (sign-in, token refresh, accepting an invitation). */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface PublicEndpoint {
    /** Why this endpoint needs no authentication. */
    String value();
}
