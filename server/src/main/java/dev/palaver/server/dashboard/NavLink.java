package dev.palaver.server.dashboard;

/** One navigation link as rendered: {@code current} marks it {@code aria-current="page"}. */
public record NavLink(String path, String label, boolean current) {
}
