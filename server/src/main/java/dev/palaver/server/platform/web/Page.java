package dev.palaver.server.platform.web;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** One page of a list and the cursor of the next one (absent on the last page). */
public record Page<T>(List<T> items, String nextCursor) {

    /** From a query that fetched {@code limit + 1} rows: the extra row only says there is a next page. */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, UUID> id) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), Cursor.encode(id.apply(items.getLast())));
    }
}
