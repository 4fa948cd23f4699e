package dev.palaver.server.dashboard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a page controller of another feature package (the talk page, for one) that renders in the dashboard
 * layout: it gets the layout's model (navigation, signed-in member, CSRF token) and readable error pages.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface DashboardPage {
}
