package dev.ragline.ingest.source.database;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

import javax.net.SocketFactory;

import dev.ragline.ingest.source.net.InternalAddresses;

/**
 * Hands the PostgreSQL driver sockets that connect to the address the host policy approved, whatever the
 * driver asks for: the URL keeps the host's name (so TLS checks the certificate against it), but the
 * driver's own lookup of that name is ignored, so a name that resolves elsewhere a moment later reaches
 * nothing new. The driver instantiates it by class name with {@code socketFactoryArg} = {@code ip|port}.
 */
public class PinnedSocketFactory extends SocketFactory {

    private final InetSocketAddress pinned;

    public PinnedSocketFactory(String arg) throws IOException {
        int bar = arg.lastIndexOf('|');
        this.pinned = new InetSocketAddress(InternalAddresses.literal(arg.substring(0, bar)).orElseThrow(),
                Integer.parseInt(arg.substring(bar + 1)));
    }

    static String arg(InetAddress address, int port) {
        return address.getHostAddress() + "|" + port;
    }

    @Override
    public Socket createSocket() {
        return new PinnedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(port);
    }

    private Socket connected(int port) throws IOException {
        Socket socket = new PinnedSocket();
        socket.connect(new InetSocketAddress(pinned.getAddress(), port));
        return socket;
    }

    private final class PinnedSocket extends Socket {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            int port = endpoint instanceof InetSocketAddress inet ? inet.getPort() : -1;
            if (port != pinned.getPort()) {
                throw new IOException("database_query may only connect to the approved " + pinned);
            }
            super.connect(pinned, timeout);
        }
    }
}
