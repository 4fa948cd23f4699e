package dev.palaver.server.platform.web;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * Cursor pagination over time-ordered ids (newest first): the cursor is the last id of the previous
 * page, opaque to clients. No OFFSET, so page N costs what page 1 costs.
 */
public final class Cursor {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private Cursor() {
    }

    public static String encode(UUID id) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The id in a cursor, or null for the first page; a malformed cursor is the client's error. */
    public static UUID decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(cursor);
            if (raw.length != 16) {
                throw new IllegalArgumentException();
            }
            ByteBuffer b = ByteBuffer.wrap(raw);
            return new UUID(b.getLong(), b.getLong());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The cursor is not one this API returned.");
        }
    }

    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return requested;
    }
}
