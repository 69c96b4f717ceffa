package io.github.servicetags.update;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One GET with the rules of {@link Updater}: https only (http with {@code insecure}), redirects followed by hand and
 * checked hop by hop, a size limit enforced while reading (and up front from {@code Content-Length}), and an idle
 * timeout that covers the whole exchange, including a server that stops sending in the middle of the body.
 */
final class Downloader {
    static final int MAX_REDIRECTS = 5;
    private static final long POLL_MILLIS = 20;

    private final HttpClient client;
    private final boolean insecure;
    private final Duration readTimeout;
    private final String userAgent;

    Downloader(HttpClient client, boolean insecure, Duration readTimeout, String userAgent) {
        this.client = client;
        this.insecure = insecure;
        this.readTimeout = readTimeout;
        this.userAgent = userAgent;
    }

    /** Where the body came from after redirects, and its declared type. */
    static final class Result {
        final URI uri;
        final String contentType;
        final long bytes;

        Result(URI uri, String contentType, long bytes) {
            this.uri = uri;
            this.contentType = contentType;
            this.bytes = bytes;
        }
    }

    void checkScheme(URI uri, URI from) throws UpdateException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        if (scheme.equals("http")) {
            if (insecure) {
                return;
            }
            if (from != null) {
                throw new UpdateException("refusing redirect from " + from + " to plain http URL " + uri
                        + " (a redirect may not downgrade to http; --insecure allows it)");
            }
            throw new UpdateException("refusing plain http URL " + uri + "; use https (or --insecure to allow http)");
        }
        throw new UpdateException("unsupported URL " + uri + "; only https (and http with --insecure) is allowed");
    }

    Result get(URI start, String accept, long maxSize, OutputStream sink, Updater.Progress progress)
            throws UpdateException {
        checkScheme(start, null);
        URI uri = start;
        for (int hop = 0; ; hop++) {
            if (uri.getHost() == null) {
                throw new UpdateException("URL " + uri + " has no host");
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .GET()
                    .timeout(readTimeout)
                    .header("User-Agent", userAgent)
                    .header("Accept", accept)
                    .build();
            Sink body = new Sink(sink, maxSize, progress);
            CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request, info -> {
                if (info.statusCode() == 200) {
                    OptionalLong length = info.headers().firstValueAsLong("Content-Length");
                    body.start(length.orElse(-1));
                    return BodySubscribers.fromSubscriber(body, s -> null);
                }
                return BodySubscribers.replacing(null);
            });
            HttpResponse<Void> response = await(future, body, uri, maxSize);
            int status = response.statusCode();
            if (status == 200) {
                String type = response.headers().firstValue("Content-Type").orElse("");
                return new Result(response.uri(), type, body.received());
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty() || location.get().isBlank()) {
                    throw new UpdateException("HTTP " + status + " redirect without a Location header from " + uri);
                }
                if (hop >= MAX_REDIRECTS) {
                    throw new UpdateException("too many redirects (more than " + MAX_REDIRECTS + ") starting at "
                            + start);
                }
                URI next;
                try {
                    next = uri.resolve(URI.create(location.get().trim()));
                } catch (IllegalArgumentException e) {
                    throw new UpdateException("bad redirect Location '" + location.get() + "' from " + uri);
                }
                checkScheme(next, uri);
                uri = next;
                continue;
            }
            throw new UpdateException("HTTP " + status + reason(status) + " from " + uri);
        }
    }

    private HttpResponse<Void> await(CompletableFuture<HttpResponse<Void>> future, Sink body, URI uri, long maxSize)
            throws UpdateException {
        long idleNanos = readTimeout.toNanos();
        long lastBytes = -1;
        long lastChange = System.nanoTime();
        try {
            while (true) {
                UpdateException failed = body.failure();
                if (failed != null) {
                    future.cancel(true);
                    throw failed;
                }
                try {
                    return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    long now = System.nanoTime();
                    long b = body.received();
                    if (b != lastBytes) {
                        lastBytes = b;
                        lastChange = now;
                    } else if (now - lastChange > idleNanos) {
                        body.cancel();
                        future.cancel(true);
                        throw new UpdateException(body.started()
                                ? "timed out: the download of " + uri + " stalled after " + b + " bytes (--timeout "
                                        + seconds(readTimeout) + ")"
                                : "timed out: no response from " + uri + " within " + seconds(readTimeout)
                                        + " (--timeout)");
                    }
                }
            }
        } catch (InterruptedException e) {
            body.cancel();
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new UpdateException("interrupted while downloading " + uri, e);
        } catch (CancellationException e) {
            throw new UpdateException("download of " + uri + " was cancelled", e);
        } catch (ExecutionException e) {
            UpdateException failed = body.failure();
            if (failed != null) {
                throw failed;
            }
            throw translate(e.getCause(), uri, body);
        }
    }

    private UpdateException translate(Throwable cause, URI uri, Sink body) {
        if (cause instanceof UpdateException) {
            return (UpdateException) cause;
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new UpdateException("timed out connecting to " + uri.getHost() + " (" + uri + ")", cause);
        }
        long received = body.received();
        if (body.started() && cause instanceof HttpTimeoutException) {
            return new UpdateException("timed out: the download of " + uri + " stalled after " + received
                    + " bytes (--timeout " + seconds(readTimeout) + ")", cause);
        }
        if (body.started() && cause instanceof IOException) {
            return new UpdateException("the download of " + uri + " broke off after " + received
                    + (body.total() >= 0 ? " of " + body.total() : "") + " bytes: " + cause.getMessage(), cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new UpdateException("timed out: no response from " + uri + " within " + seconds(readTimeout)
                    + " (--timeout)", cause);
        }
        if (cause instanceof ConnectException) {
            return new UpdateException("cannot connect to " + uri.getHost() + " (" + uri + ")"
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        }
        if (cause instanceof SSLException) {
            return new UpdateException("TLS failure with " + uri.getHost() + ": " + cause.getMessage(), cause);
        }
        String msg = cause == null ? "unknown error"
                : cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return new UpdateException("download of " + uri + " failed: " + msg, cause);
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static String reason(int status) {
        switch (status) {
            case 400: return " Bad Request";
            case 401: return " Unauthorized";
            case 403: return " Forbidden";
            case 404: return " Not Found";
            case 410: return " Gone";
            case 429: return " Too Many Requests";
            case 500: return " Internal Server Error";
            case 502: return " Bad Gateway";
            case 503: return " Service Unavailable";
            case 504: return " Gateway Timeout";
            default: return "";
        }
    }

    /** Writes the body to the sink, counting bytes and enforcing the limit. Runs on the client's threads. */
    private static final class Sink implements Flow.Subscriber<List<ByteBuffer>> {
        private final OutputStream out;
        private final long maxSize;
        private final Updater.Progress progress;
        private volatile long received;
        private volatile long total = -1;
        private volatile boolean started;
        private volatile UpdateException failure;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        private final byte[] chunk = new byte[64 * 1024];

        Sink(OutputStream out, long maxSize, Updater.Progress progress) {
            this.out = out;
            this.maxSize = maxSize;
            this.progress = progress;
        }

        void start(long contentLength) {
            total = contentLength;
            started = true;
            if (contentLength > maxSize) {
                failure = tooLarge("the server announces " + contentLength + " bytes");
            }
        }

        long received() {
            return received;
        }

        /** True once the status line and headers of a 200 response arrived. */
        boolean started() {
            return started;
        }

        long total() {
            return total;
        }

        UpdateException failure() {
            return failure;
        }

        private UpdateException tooLarge(String what) {
            return new UpdateException("download exceeds the size limit of " + maxSize + " bytes (" + what
                    + "); raise it with --max-size");
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (failure != null || cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (failure != null || cancelled) {
                return;
            }
            try {
                long n = received;
                for (ByteBuffer b : buffers) {
                    if (n + b.remaining() > maxSize) {
                        failure = tooLarge("more than " + maxSize + " bytes received");
                        subscription.cancel();
                        return;
                    }
                    n += b.remaining();
                    while (b.hasRemaining()) {
                        int len = Math.min(b.remaining(), chunk.length);
                        b.get(chunk, 0, len);
                        out.write(chunk, 0, len);
                    }
                }
                received = n;
                if (progress != null) {
                    progress.onProgress(n, total);
                }
                subscription.request(1);
            } catch (IOException | RuntimeException e) {
                failure = new UpdateException("cannot write the download: " + e.getMessage(), e);
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable t) {
            // reported through the response future
        }

        @Override
        public void onComplete() {
            // the response future completes
        }
    }
}
