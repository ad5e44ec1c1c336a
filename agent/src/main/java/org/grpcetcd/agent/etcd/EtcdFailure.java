package org.grpcetcd.agent.etcd;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Says in words why a call to etcd failed, for people at a terminal: "connection refused", "this does not look
 * like an etcd client URL", never an exception's class name nor a page some other server sent. It knows how this
 * client's transport (jetcd: gRPC over Netty) fails, so a new transport adapts it here.
 */
public final class EtcdFailure {
    /** What to tell when something answered, but not as an etcd client URL does (its peer port, a web server). */
    public static final String NOT_ETCD = "this does not look like an etcd client URL";

    /** What gRPC says when the other side answers its HTTP/2 preface with HTTP/1 ("HTTP/" in hex). */
    private static final String HTTP1_ANSWER = "485454502f";
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z]\\w*\\.)*[A-Z]\\w*(?:Exception|Error): ?");

    private EtcdFailure() {
    }

    /** One line, in words, saying what went wrong. */
    public static String describe(Throwable failure) {
        if (failure instanceof EtcdRequestException) {
            return failure.getMessage();
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "unknown host";
            }
            // a deadline, or keepalive pings unanswered on a connection that stays open (a hung member, a frozen proxy)
            if (cause instanceof TimeoutException || message.startsWith("DEADLINE_EXCEEDED")
                    || message.contains("deadline exceeded") || message.contains("Keepalive failed")) {
                return "no answer in time";
            }
            if (message.contains("connection timed out")) {
                return "connection timed out";
            }
            if (cause instanceof SSLException) {
                return "TLS handshake failed: " + withoutClassNames(message) + tlsHintIn(failure);
            }
            if (message.contains(HTTP1_ANSWER)) {
                return NOT_ETCD + " (it answered HTTP/1, not etcd's gRPC API)";
            }
            if (message.contains("first received frame was not SETTINGS") || message.contains("not SETTINGS")) {
                return NOT_ETCD + " (it does not speak gRPC)";
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof IOException || String.valueOf(cause.getMessage()).contains("Network closed")) {
                // what an etcd that is shutting down does too: not a sign of a wrong URL
                return "connection closed without an answer";
            }
        }
        return withoutClassNames(String.valueOf(failure.getMessage()));
    }
    /** The hint {@link TlsHints} appended to an unavailable etcd's message, if any. */
    private static String tlsHintIn(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        int hint = message.lastIndexOf(" (etcd");
        return hint < 0 ? "" : message.substring(hint);
    }

    static String withoutClassNames(String message) {
        return CLASS_NAME.matcher(message).replaceAll("");
    }
}
