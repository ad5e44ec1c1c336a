package org.grpcetcd.it.support.secure;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.EtcdServer;

/**
 * What an etcd started {@link EtcdServer#withDebugLog() with its debug log} says about auth: each token it hands
 * out ("authenticated a user") and each request it refuses for an unknown or expired token.
 */
public final class EtcdAuthLog {
    private static final Pattern TOKEN_FIELD = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final String AUTHENTICATED = "\"msg\":\"authenticated a user\"";

    private EtcdAuthLog() {
    }

    /** Every auth token etcd has handed out so far. */
    public static List<String> issuedTokens(EtcdServer etcd) {
        return etcd.output().stream().filter(line -> line.contains(AUTHENTICATED)).map(line -> {
            Matcher token = TOKEN_FIELD.matcher(line);
            return token.find() ? token.group(1) : null;
        }).filter(Objects::nonNull).collect(Collectors.toList());
    }

    /** How many times {@code user} has authenticated so far. */
    public static long authentications(EtcdServer etcd, String user) {
        return etcd.output().stream().filter(line -> line.contains(AUTHENTICATED)
                && line.contains("\"user-name\":\"" + user + "\"")).count();
    }

    /** How many requests etcd has refused because their token was unknown or expired. */
    public static long refusedTokens(EtcdServer etcd) {
        return etcd.output().stream().filter(line -> line.contains("\"msg\":\"invalid auth token\"")).count();
    }
}
