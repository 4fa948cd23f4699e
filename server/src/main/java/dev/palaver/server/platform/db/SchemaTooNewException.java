package dev.palaver.server.platform.db;

/** The database was migrated by a newer Palaver than this one. */
public final class SchemaTooNewException extends IllegalStateException {
    public SchemaTooNewException(String databaseVersion, String latestKnown) {
        super("The database schema is at version " + databaseVersion + ", newer than this Palaver build knows (latest "
                + latestKnown + "). Run the Palaver release that migrated it, or restore a backup made for this version.");
    }
}
