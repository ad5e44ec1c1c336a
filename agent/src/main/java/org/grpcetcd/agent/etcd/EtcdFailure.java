package org.grpcetcd.agent.etcd;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Says in words why a call to etcd failed, for people at a terminal: "connection refused", "this does not look
 * like an etcd client URL", never an exception's class name nor a page some other server sent. It knows how this
 * client's transport fails (a non-etcd HTTP server answers etcd's gateway paths with an HTTP error page), so a
 * new transport adapts it here.
 */
public final class EtcdFailure {
    /** What to tell when something answered, but not as an etcd client URL does (its peer port, a web server). */
    public static final String NOT_ETCD = "this does not look like an etcd client URL";

    private static final Pattern NOT_ETCD_ANSWER = Pattern.compile("^etcd answered HTTP (\\d+):.*", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z]\\w*\\.)*[A-Z]\\w*(?:Exception|Error): ?");

    private EtcdFailure() {
    }

    /** One line, in words, saying what went wrong. */
    public static String describe(Throwable failure) {
        if (failure instanceof EtcdRequestException) {
            String message = String.valueOf(failure.getMessage());
            Matcher notEtcd = NOT_ETCD_ANSWER.matcher(message);
            return notEtcd.matches() ? NOT_ETCD + " (it answered HTTP " + notEtcd.group(1) + ", not etcd's API)"
                    : message;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (cause instanceof HttpTimeoutException) {
                return "no answer in time";
            }
            if (cause instanceof SSLException) {
                return "TLS handshake failed: " + withoutClassNames(message) + tlsHintIn(failure);
            }
            if (cause instanceof IllegalArgumentException && message.contains("port out of range")) {
                return "port out of range";
            }
            if (cause instanceof IOException && message.contains("received no bytes")) {
                // what an etcd that is shutting down does too: not a sign of a wrong URL
                return "connection closed without an answer";
            }
            if (cause instanceof IOException && message.contains("Invalid status line")) {
                return NOT_ETCD + " (it does not answer HTTP)";
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // the JDK's client says nothing more than ConnectException over a closed channel when refused
            if (cause instanceof ConnectException) {
                return "connection refused";
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
