package io.github.servicetags.update;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS (or plain HTTP) server on 127.0.0.1, port 0, with a self-signed certificate made by the JDK's keytool once
 * per test run. Routes are replaceable while the server runs.
 */
final class LoopbackServer implements AutoCloseable {

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange ex) throws IOException, InterruptedException;
    }

    private static volatile Tls tls;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    /** Slow handlers wait on this; closing the server releases them. */
    final CountDownLatch release = new CountDownLatch(1);
    private final boolean https;

    private LoopbackServer(boolean https) throws IOException {
        this.https = https;
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (https) {
            HttpsServer s = HttpsServer.create(addr, 0);
            s.setHttpsConfigurator(new HttpsConfigurator(tls().server));
            server = s;
        } else {
            server = HttpServer.create(addr, 0);
        }
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                Handler h = routes.get(path);
                if (h == null) {
                    send(ex, 404, "text/html", "<html><body>Not Found</body></html>");
                } else {
                    h.handle(ex);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away (timeouts, size limits): expected in these tests
            }
        });
        server.start();
    }

    static LoopbackServer https() throws IOException {
        return new LoopbackServer(true);
    }

    static LoopbackServer http() throws IOException {
        return new LoopbackServer(false);
    }

    /** Trusts the test certificate. */
    static SSLContext clientContext() throws IOException {
        return tls().client;
    }

    URI uri(String path) {
        return URI.create((https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    LoopbackServer route(String path, Handler h) {
        routes.put(path, h);
        return this;
    }

    LoopbackServer file(String path, byte[] body) {
        return route(path, ex -> send(ex, 200, "application/octet-stream", body));
    }

    LoopbackServer page(String path, String html) {
        return route(path, ex -> send(ex, 200, "text/html; charset=utf-8", html));
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static void redirect(HttpExchange ex, int status, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(status, -1);
    }

    /** A download page like Microsoft's: the link appears in an anchor and in embedded JSON with escaped slashes. */
    static String downloadPage(URI file) {
        String u = file.toString();
        return "<!DOCTYPE html><html><head><title>Download Azure IP Ranges and Service Tags</title></head><body>"
                + "<script>window.__DLCDetails__={\"dlcDetailsView\":{\"downloadFile\":[{\"name\":\""
                + u.substring(u.lastIndexOf('/') + 1) + "\",\"url\":\"" + u.replace("/", "\\/") + "\"}]}}</script>"
                + "<a href=\"" + u + "\" class=\"mscom-link failoverLink\" data-bi-id=\"downloadretry\">click here"
                + " to download manually</a></body></html>";
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Answers every connection with {@code response} verbatim over TLS and closes it: for broken responses that
     * HttpServer will not produce (a body cut short of its Content-Length).
     */
    static final class Raw implements AutoCloseable {
        private final javax.net.ssl.SSLServerSocket socket;

        Raw(byte[] response) throws IOException {
            socket = (javax.net.ssl.SSLServerSocket) tls().server.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket c = socket.accept()) {
                        InputStream in = c.getInputStream();
                        int state = 0; // read the request up to the blank line
                        while (state < 4) {
                            int b = in.read();
                            if (b < 0) {
                                break;
                            }
                            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                                    ? state + 1 : 0;
                        }
                        OutputStream out = c.getOutputStream();
                        out.write(response);
                        out.flush();
                    } catch (IOException e) {
                        // closed, or the client went away
                    }
                }
            }, "raw-loopback");
            t.setDaemon(true);
            t.start();
        }

        URI uri(String path) {
            return URI.create("https://127.0.0.1:" + socket.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Tls tls() throws IOException {
        Tls t = tls;
        if (t == null) {
            synchronized (LoopbackServer.class) {
                t = tls;
                if (t == null) {
                    tls = t = new Tls();
                }
            }
        }
        return t;
    }

    /** A self-signed certificate for 127.0.0.1 made with keytool (no network, no Bouncy Castle). */
    private static final class Tls {
        final SSLContext server;
        final SSLContext client;

        Tls() throws IOException {
            try {
                Path dir = Files.createTempDirectory("servicetags-tls");
                Path ks = dir.resolve("server.p12");
                char[] pw = "changeit".toCharArray();
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "loopback", "-keyalg", "EC",
                        "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost",
                        "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                        "-storepass", "changeit", "-keypass", "changeit"))
                        .redirectErrorStream(true).start();
                byte[] output;
                try (InputStream in = p.getInputStream()) {
                    output = in.readAllBytes();
                }
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
                }
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(ks)) {
                    store.load(in, pw);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, pw);
                server = SSLContext.getInstance("TLS");
                server.init(kmf.getKeyManagers(), null, null);

                Certificate cert = store.getCertificate("loopback");
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("loopback", cert);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                client = SSLContext.getInstance("TLS");
                client.init(null, tmf.getTrustManagers(), null);
                Files.deleteIfExists(ks);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot set up TLS for the loopback server: " + e, e);
            }
        }
    }
}
