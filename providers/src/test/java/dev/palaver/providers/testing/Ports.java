package dev.palaver.providers.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports that misbehave at the TCP level. */
public final class Ports {

    private Ports() {
    }

    /** A port nothing listens on: connecting is refused at once. */
    public static int closed() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A listening socket that never accepts, with its tiny backlog filled: the kernel drops further SYNs,
     * so a new connection attempt hangs until the client's connect timeout.
     */
    public static final class Blackhole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        public Blackhole() {
            try {
                server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                for (int i = 0; i < 16; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(server.getLocalSocketAddress(), 200);
                        fillers.add(socket);
                    } catch (SocketTimeoutException full) {
                        socket.close();
                        return;
                    }
                }
                throw new IllegalStateException("the backlog never filled");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : fillers) {
                socket.close();
            }
            server.close();
        }
    }
}
