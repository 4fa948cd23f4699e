package dev.palaver.server.platform.web;

import java.io.IOException;

/** The request body went past its limit while it was being read. */
public final class PayloadTooLargeException extends IOException {
    public PayloadTooLargeException(long limit) {
        super("The request body is larger than the limit of " + limit + " bytes.");
    }
}
