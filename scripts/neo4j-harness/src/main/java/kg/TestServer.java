package kg;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.FileUserRepository;

/**
 * Throwaway Neo4j Community server for tests.
 *
 * Usage: TestServer DATA_DIR BOLT_PORT
 * If the environment variable KG_NEO4J_PASSWORD is set (and non-empty), authentication is
 * enabled and user neo4j gets that password; otherwise authentication is off.
 * Prints "READY bolt://127.0.0.1:PORT ..." once Bolt answers, then runs until SIGTERM/SIGINT.
 */
public final class TestServer {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TestServer DATA_DIR BOLT_PORT");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("KG_NEO4J_PASSWORD");
        boolean auth = password != null && !password.isEmpty();
        try {
            run(dataDir, port, auth ? password : null);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // Neo4j's non-daemon threads would otherwise keep a half-started JVM alive
        }
    }

    private static long pageCacheMb() {
        String value = System.getenv("KG_NEO4J_PAGECACHE_MB");
        return value == null || value.isEmpty() ? 64 : Long.parseLong(value);
    }

    private static void run(Path dataDir, int port, String password) throws Exception {
        boolean auth = password != null;
        Files.createDirectories(dataDir);

        // The harness sets its own defaults (auth off, ports on "localhost:0") inside
        // newInProcessBuilder(dir), so our settings must come after it to win.
        // It places the store in a random 32-hex subdirectory of dataDir and deletes it on close().
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(dataDir)
                .withConfig(HttpConnector.enabled, false) // tests only use Bolt
                .withConfig(HttpsConnector.enabled, false)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .withConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .withConfig(GraphDatabaseSettings.auth_enabled, auth)
                // Small for tests; benchmarks ask for more (KG_NEO4J_PAGECACHE_MB), as a real
                // server would have: with 64 MiB a bulk load spends its time evicting pages.
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb()))
                // Otherwise each database preallocates 256 MiB transaction log files.
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty's default 5 s quiet period, paid twice, makes every stop take over 10 s.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        if (auth) {
            Path authDir = dataDir.resolve("auth");
            writeInitialUser(authDir, password);
            builder.withConfig(GraphDatabaseInternalSettings.auth_store_directory, authDir);
        }
        Neo4j neo4j = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM/SIGINT run JVM shutdown hooks; close the DBMS there so stores are flushed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                neo4j.close();
                System.out.println("STOPPED");
            } finally {
                stopped.countDown();
            }
        }, "kg-neo4j-shutdown"));

        waitForBolt(port);
        System.out.println("READY bolt://" + HOST + ":" + port + " auth=" + (auth ? "on" : "off"));
        System.out.flush();
        stopped.await();
    }

    /**
     * Writes auth.ini the way `neo4j-admin dbms set-initial-password` does. The system database
     * reads it when it is first created (always the case here: the store is fresh), so user neo4j
     * starts with this password and no forced change. The alternative, running
     * "ALTER USER neo4j SET PASSWORD ..." on the system database after build(), also works but
     * adds about 4 s to every start (cold Cypher planner).
     */
    private static void writeInitialUser(Path authDir, String password) throws Exception {
        Path file = authDir.resolve("auth.ini");
        Files.createDirectories(authDir);
        Files.deleteIfExists(file);
        var users = new FileUserRepository(
                new DefaultFileSystemAbstraction(), file, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
        users.start();
        users.create(new User(
                "neo4j",
                null,
                SystemGraphCredential.createCredentialForPassword(password.getBytes(UTF_8), new SecureHasher()),
                false,
                false));
        users.shutdown();
    }

    /** Bolt handshake: magic preamble plus four version proposals; a 4-byte reply means Bolt serves. */
    private static void waitForBolt(int port) throws InterruptedException {
        byte[] handshake = {
            0x60, 0x60, (byte) 0xB0, 0x17,
            0, 6, 8, 5, // 5.8 down to 5.2
            0, 1, 1, 5, // 5.1 down to 5.0
            0, 0, 4, 4, // 4.4
            0, 0, 0, 0
        };
        IOException last = null;
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                s.setSoTimeout(2000);
                s.getOutputStream().write(handshake);
                new DataInputStream(s.getInputStream()).readInt();
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Bolt did not answer on port " + port, last);
    }
}
