package kg;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * Throwaway Neo4j Community server for tests.
 *
 * Usage: TestServer DATA_DIR BOLT_PORT
 * If the environment variable KG_NEO4J_PASSWORD is set (and non-empty), authentication is
 * enabled and user neo4j gets that password; otherwise authentication is off.
 * Prints "READY bolt://127.0.0.1:PORT" once Bolt answers, then runs until SIGTERM/SIGINT.
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
        Files.createDirectories(dataDir);

        // The harness sets its own defaults (auth off, ports on "localhost:0") inside
        // newInProcessBuilder(dir), so our settings must come after it to win.
        // It places the store in a random 32-hex subdirectory of dataDir and deletes it on close().
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(dataDir)
                .withConfig(HttpConnector.enabled, false) // tests only use Bolt
                .withConfig(HttpsConnector.enabled, false)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .withConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .withConfig(GraphDatabaseSettings.auth_enabled, auth)
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
                // Otherwise each database preallocates 256 MiB transaction log files.
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty's default 5 s quiet period, paid twice, makes every stop take over 10 s.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();

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

        if (auth) {
            // Embedded transactions bypass authentication, so the system database accepts
            // this admin command without credentials. The harness has no initial-password setting.
            neo4j.databaseManagementService()
                    .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                    .executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }

        waitForBolt(port);
        System.out.println("READY bolt://" + HOST + ":" + port + " auth=" + (auth ? "on" : "off"));
        System.out.flush();
        stopped.await();
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
