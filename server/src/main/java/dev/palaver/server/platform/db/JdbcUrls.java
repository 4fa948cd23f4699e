package dev.palaver.server.platform.db;

/** Renders JDBC URLs for logs: the query string may carry a password, so it is dropped. */
final class JdbcUrls {
    private JdbcUrls() {
    }

    static String withoutCredentials(String url) {
        if (url == null) {
            return "";
        }
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        int at = base.indexOf('@');
        int scheme = base.indexOf("//");
        if (at > 0 && scheme >= 0 && at > scheme) {
            base = base.substring(0, scheme + 2) + base.substring(at + 1);
        }
        return base;
    }
}
