package dev.palaver.server.agents;

/** One invalid field of a request body: its path (e.g. {@code flow.nodes[2].transitions[0].target}) and why. */
record FieldError(String field, String message) {
}
