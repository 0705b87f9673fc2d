import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The least HTTP/1.1 client that serves this benchmark: one keep-alive socket, blocking I/O, requests with a
 * body of known length, responses with Content-Length or chunked bodies. A request that fails on a connection
 * the server closed meanwhile is sent once more on a new one (the same Idempotency-Key makes that safe).
 */
final class RawHttp implements AutoCloseable {
    record Response(int status, String body) {
    }

    /** An open response body read line by line (an SSE stream). */
    static final class Stream implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedReader reader;

        Stream(java.net.Socket socket, java.io.BufferedReader reader) {
            this.socket = socket;
            this.reader = reader;
        }

        String readLine() throws java.io.IOException {
            return reader.readLine();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    private final String host;
    private final int port;
    private java.net.Socket socket;
    private java.io.InputStream in;
    private java.io.OutputStream out;

    RawHttp(URI base) {
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
    }

    Response send(String method, String path, List<String> headers, byte[] body) throws java.io.IOException {
        byte[] request = request(method, path, headers, body);
        for (int attempt = 0;; attempt++) {
            boolean reused = socket != null;
            try {
                if (socket == null) {
                    socket = connect(host, port);
                    in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
                    out = socket.getOutputStream();
                }
                out.write(request);
                out.flush();
                Head head = readHead(in);
                byte[] content = head.chunked() ? readChunked(in) : in.readNBytes(head.length());
                if (head.close()) {
                    close();
                }
                return new Response(head.status(), new String(content, StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                close();
                if (!reused || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    static Stream openStream(URI base, String path, List<String> headers) throws java.io.IOException {
        java.net.Socket socket = connect(base.getHost(), base.getPort() < 0 ? 80 : base.getPort());
        socket.getOutputStream().write(request("GET", path, headers, null));
        socket.getOutputStream().flush();
        java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
        Head head = readHead(in);
        if (head.status() != 200) {
            socket.close();
            throw new IllegalStateException("GET " + path + " answered " + head.status());
        }
        java.io.InputStream body = head.chunked() ? new Chunked(in) : in;
        return new Stream(socket, new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (java.io.IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    private static java.net.Socket connect(String host, int port) throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(0);
        return socket;
    }

    private static byte[] request(String method, String path, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach(header -> head.append(header).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return start;
        }
        byte[] all = java.util.Arrays.copyOf(start, start.length + body.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    private record Head(int status, int length, boolean chunked, boolean close) {
    }

    private static Head readHead(java.io.InputStream in) throws java.io.IOException {
        String statusLine = readLine(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            throw new java.io.EOFException("No HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = 0;
        boolean chunked = false;
        boolean close = false;
        for (String line; (line = readLine(in)) != null && !line.isEmpty();) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                close = value.equalsIgnoreCase("close");
            }
        }
        return new Head(status, length, chunked, close);
    }

    private static String readLine(java.io.InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n';) {
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new java.io.EOFException("Connection closed mid-line");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static byte[] readChunked(java.io.InputStream in) throws java.io.IOException {
        return new Chunked(in).readAllBytes();
    }

    /** A chunked body as a plain stream; ends at the last (empty) chunk. */
    static final class Chunked extends java.io.InputStream {
        private final java.io.InputStream in;
        private int left;
        private boolean done;

        Chunked(java.io.InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws java.io.IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine(in);
                if (size == null) {
                    throw new java.io.EOFException("Connection closed in a chunked body");
                }
                if (size.isEmpty()) {
                    size = readLine(in); // the CRLF after the previous chunk's data
                }
                int semicolon = size.indexOf(';');
                left = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (left == 0) {
                    for (String trailer; (trailer = readLine(in)) != null && !trailer.isEmpty();) {
                        // trailers are ignored
                    }
                    done = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, Math.min(length, left));
            if (read < 0) {
                throw new java.io.EOFException("Connection closed in a chunk");
            }
            left -= read;
            return read;
        }

        @Override
        public int available() throws java.io.IOException {
            return done ? 0 : Math.min(left, in.available());
        }
    }
}
