package org.grpcetcd.agent.etcd;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.ByteSequence;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.Client;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.common.exception.EtcdException;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.kv.GetResponse;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.op.Cmp;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.op.CmpTarget;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.op.Op;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.options.GetOption;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.options.PutOption;
import org.grpcetcd.agent.shaded.io.etcd.jetcd.options.WatchOption;
import org.grpcetcd.agent.shaded.io.grpc.Status;
import org.grpcetcd.agent.shaded.io.grpc.StatusException;
import org.grpcetcd.agent.shaded.io.grpc.StatusRuntimeException;

/**
 * The etcd operations the agent needs, on jetcd: keys, leases and watches. Blocking calls; watches deliver on their
 * own. The jetcd client is built on the first call, so making an {@code EtcdClient} costs nothing on the thread
 * that makes it.
 */
public final class EtcdClient implements AutoCloseable {
    /** Waits a little longer than the calls' own deadline, which ends them first and cleanly. */
    private static final Duration OVER_DEADLINE = Duration.ofSeconds(1);
    /** As a timeout: wait as long as the connection's deadline for calls (see {@link EtcdConnection#deadline()}). */
    private static final Duration UNTIL_DEADLINE = Duration.ofMillis(-1);
    private static final int PERMISSION_DENIED = Status.Code.PERMISSION_DENIED.value();
    private static final int NOT_FOUND = Status.Code.NOT_FOUND.value();
    /** The codes with which etcd refuses a request it read; any other means it did not answer it. */
    private static final Set<Status.Code> REFUSALS = EnumSet.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS, Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED,
            Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.ABORTED, Status.Code.UNIMPLEMENTED);
    /** etcd's range end "\0": together with key "\0", every key. */
    private static final ByteSequence ALL_KEYS = ByteSequence.from(new byte[] {0});

    /**
     * How long a replaced connection stays open: calls already sent on it (a deregistration on the app's thread)
     * get their answer, as every call ends within its deadline and one resend.
     */
    private static final Duration RETIRE_AFTER = Duration.ofSeconds(10);

    private final ExecutorService executor;
    private volatile EtcdAccess access;
    private EtcdConnection connection;
    // guarded by this: the watches running on the current connection, moved when it is replaced
    private final Set<PrefixWatch> watches = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    public EtcdClient(EtcdAccess access, ExecutorService executor) {
        this.access = access;
        this.executor = executor;
    }

    public List<URI> endpoints() {
        return access.endpoints();
    }

    /** Every key that starts with {@code prefix} (every key, for an empty prefix), and their revision. */
    public RangeResult rangePrefix(String prefix) {
        return range(prefix, prefix, GetOption.builder().withRange(rangeEnd(prefix)).build());
    }

    /**
     * One page of the keys under {@code prefix}: at most {@code limit} of them, in key order, from {@code fromKey}
     * on (the prefix itself for the first page), as they were at {@code atRevision} (0: now; give the first
     * page's revision to read every page at once). A page with fewer than {@code limit} keys is the last.
     */
    public RangeResult rangePage(String prefix, String fromKey, int limit, long atRevision) {
        return range(prefix, fromKey, GetOption.builder().withRange(rangeEnd(prefix)).withLimit(limit)
                .withRevision(atRevision).build());
    }

    private RangeResult range(String prefix, String fromKey, GetOption option) {
        GetResponse answer = call(prefix, jetcd -> jetcd.getKVClient().get(firstKey(fromKey), option), UNTIL_DEADLINE);
        List<KeyValue> keyValues = new ArrayList<>();
        for (org.grpcetcd.agent.shaded.io.etcd.jetcd.KeyValue kv : answer.getKvs()) {
            keyValues.add(new KeyValue(text(kv.getKey()), text(kv.getValue()), kv.getLease()));
        }
        return new RangeResult(answer.getHeader().getRevision(), keyValues);
    }

    /** Whether {@code key} exists in etcd. */
    public boolean exists(String key) {
        return call(key, jetcd -> jetcd.getKVClient().get(bytes(key), GetOption.builder().withCountOnly(true).build()),
                UNTIL_DEADLINE).getCount() > 0;
    }

    /**
     * Checks that this user may put {@code key} without putting it: a transaction whose put sits behind a
     * comparison that can never hold (version below 0). etcd checks the permissions of every operation of a
     * transaction, run or not, so a missing grant is refused with "permission denied".
     */
    public void checkMayPut(String key) {
        call(key, jetcd -> jetcd.getKVClient().txn()
                .If(new Cmp(bytes(key), Cmp.Op.LESS, CmpTarget.version(0)))
                .Then(Op.put(bytes(key), bytes(""), PutOption.DEFAULT))
                .commit(), UNTIL_DEADLINE);
    }

    /** Puts {@code key} under {@code leaseId} (0: no lease). */
    public void put(String key, String value, long leaseId) {
        call(key, jetcd -> jetcd.getKVClient().put(bytes(key), bytes(value),
                PutOption.builder().withLeaseId(leaseId).build()), UNTIL_DEADLINE);
    }

    public void delete(String key, Duration timeout) {
        call(key, jetcd -> jetcd.getKVClient().delete(bytes(key)), timeout);
    }

    /** Grants a lease of {@code ttlSeconds} and returns its id. */
    public long grantLease(int ttlSeconds) {
        return call(null, jetcd -> jetcd.getLeaseClient().grant(ttlSeconds), UNTIL_DEADLINE).getID();
    }

    /**
     * Renews a lease once; returns the seconds it has left, 0 when etcd no longer has it. Once per call, on the
     * agent's schedule: jetcd's own keep-alive would start threads of its own.
     */
    public long keepAliveOnce(long leaseId) {
        try {
            return call(null, jetcd -> jetcd.getLeaseClient().keepAliveOnce(leaseId), UNTIL_DEADLINE).getTTL();
        } catch (EtcdRequestException e) {
            if (e.code() == NOT_FOUND) {
                return 0;
            }
            throw e;
        }
    }

    /** Seconds a lease has left; negative when etcd no longer has it. */
    public long leaseTimeToLive(long leaseId) {
        return call(null, jetcd -> jetcd.getLeaseClient().timeToLive(leaseId,
                org.grpcetcd.agent.shaded.io.etcd.jetcd.options.LeaseOption.DEFAULT), UNTIL_DEADLINE).getTTL();
    }

    /** The version of the etcd server at the first endpoint, as its status reports it. */
    public String serverVersion() {
        URI endpoint = access.endpoints().get(0);
        return call(null, jetcd -> jetcd.getMaintenanceClient().statusMember(
                "ip:///" + endpoint.getHost() + ":" + endpoint.getPort()), UNTIL_DEADLINE).getVersion();
    }

    /**
     * The peer URLs of etcd's members, as {@code member list} shows them. etcd 3.4 serves its gRPC API on the
     * peer port too, so a peer URL given as an endpoint answers; this is how to tell it.
     */
    public List<URI> memberPeerUrls() {
        List<URI> urls = new ArrayList<>();
        for (org.grpcetcd.agent.shaded.io.etcd.jetcd.cluster.Member member
                : call(null, jetcd -> jetcd.getClusterClient().listMember(), UNTIL_DEADLINE).getMembers()) {
            urls.addAll(member.getPeerURIs());
        }
        return urls;
    }

    /** Revokes a lease, which deletes every key under it. */
    public void revokeLease(long leaseId, Duration timeout) {
        call(null, jetcd -> jetcd.getLeaseClient().revoke(leaseId), timeout);
    }

    /**
     * Watches every key under {@code prefix} from {@code fromRevision} on. Every watch of this client is a stream
     * on its one gRPC channel: a JVM that watches a hundred services holds one connection per etcd member.
     */
    public WatchHandle watchPrefix(String prefix, long fromRevision, WatchListener listener) {
        PrefixWatch watch = new PrefixWatch(listener);
        EtcdConnection current;
        synchronized (this) {
            current = connection();
            watches.removeIf(PrefixWatch::ended);
            watches.add(watch);
        }
        watch.start(current.jetcd().getWatchClient(), firstKey(prefix), WatchOption.builder()
                .withRange(rangeEnd(prefix)).withRevision(fromRevision).withCreateNotify(true).build());
        return watch;
    }

    /** How this client reaches etcd now (the last access a {@link #reconnect} was made with). */
    public EtcdAccess access() {
        return access;
    }

    /**
     * Replaces the connection by one built with {@code newAccess} (new TLS files, a new password), without a gap:
     * the new one is built and proven with one call first, and throws, leaving the current one in use, when
     * either fails ({@link TlsSetupException} for material that cannot be used, {@link EtcdUnavailableException}
     * when etcd does not accept it). Then calls go to the new one, every watch is told to start over on it
     * ({@link WatchListener#onConnectionReplaced()}), and the old one closes a little later. Leases live in etcd,
     * not in a connection: registrations carry on as they are.
     */
    public void reconnect(EtcdAccess newAccess) {
        EtcdConnection fresh = EtcdConnection.open(newAccess, executor);
        try {
            prove(fresh, newAccess);
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        EtcdConnection old;
        List<PrefixWatch> moved;
        synchronized (this) {
            if (closed) {
                fresh.close();
                return;
            }
            old = connection;
            connection = fresh;
            access = newAccess;
            moved = new ArrayList<>(watches);
            watches.clear();
        }
        moved.forEach(PrefixWatch::connectionReplaced);
        if (old != null) {
            Executor later = CompletableFuture.delayedExecutor(RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS,
                    executor);
            later.execute(old::close);
        }
    }

    /**
     * One cheap call on a new connection, which makes it connect, shake hands and authenticate: a count of one
     * key. "Permission denied" proves it too: etcd checks permissions only once it knows the user. It waits
     * {@link EtcdConnection#CALL_DEADLINE}, not the longer first-answer deadline: jetcd is loaded by now, and the
     * caller (the agent's scheduler) has registrations to keep alive.
     */
    private static void prove(EtcdConnection fresh, EtcdAccess newAccess) {
        CompletableFuture<GetResponse> request = fresh.jetcd().getKVClient().get(ALL_KEYS,
                GetOption.builder().withCountOnly(true).build());
        try {
            await(request, EtcdConnection.CALL_DEADLINE);
        } catch (TimeoutException e) {
            throw new EtcdUnavailableException("no etcd endpoint answered in time (tried " + newAccess.endpoints()
                    + ")", e);
        } catch (ExecutionException e) {
            Throwable failure = e.getCause() == null ? e : e.getCause();
            Status.Code code = codeOf(failure);
            if (code == Status.Code.PERMISSION_DENIED) {
                fresh.answered();
                return;
            }
            if (code == Status.Code.UNAUTHENTICATED && newAccess.user().isPresent()) {
                throw new EtcdUnavailableException("authenticating as user " + newAccess.user().get() + " failed: "
                        + descriptionOf(failure), failure);
            }
            throw new EtcdUnavailableException(code != null && REFUSALS.contains(code)
                    ? code + ": " + descriptionOf(failure)
                    : EtcdFailure.describe(failure) + TlsHints.hintFor(failure, newAccess.tls()), failure);
        }
        fresh.answered();
    }

    /** Closes the connection; calls made after fail. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        dropConnection();
    }

    private void dropConnection() {
        EtcdConnection open;
        synchronized (this) {
            open = connection;
            connection = null;
        }
        if (open != null) {
            open.close();
        }
    }

    private synchronized EtcdConnection connection() {
        if (closed) {
            throw new EtcdUnavailableException("the etcd client is closed", null);
        }
        if (connection == null) {
            connection = EtcdConnection.open(access, executor);
        }
        return connection;
    }

    /**
     * Waits for a request's answer. A refusal names the key and the user, so people on call know which grant is
     * missing; no answer (refused, timed out, unavailable) says which endpoints were tried and why.
     */
    private <T> T call(String key, Function<Client, CompletableFuture<T>> operation, Duration timeout) {
        EtcdConnection used = connection();
        Duration wait = timeout == UNTIL_DEADLINE ? used.deadline().plus(OVER_DEADLINE) : timeout;
        CompletableFuture<T> request = operation.apply(used.jetcd());
        try {
            T answer = await(request, wait);
            used.answered();
            return answer;
        } catch (TimeoutException e) {
            throw unanswered(e);
        } catch (ExecutionException e) {
            throw translate(key, e.getCause() == null ? e : e.getCause());
        }
    }

    /** Waits for {@code request}; cancels it when it gets no answer in {@code wait} or the wait is interrupted. */
    private static <T> T await(CompletableFuture<T> request, Duration wait)
            throws TimeoutException, ExecutionException {
        try {
            return request.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel(true);
            throw new EtcdUnavailableException("interrupted while calling etcd", e);
        } catch (TimeoutException e) {
            request.cancel(true);
            throw e;
        }
    }

    private RuntimeException translate(String key, Throwable failure) {
        Status.Code code = codeOf(failure);
        if (code == null) {
            return unavailable(failure);
        }
        if (code == Status.Code.DEADLINE_EXCEEDED) {
            return unanswered(failure);
        }
        if (!REFUSALS.contains(code)) {
            return unavailable(failure); // no answer of etcd's: the connection broke, was closed, or is no etcd
        }
        if (code.value() == PERMISSION_DENIED && key != null) {
            return new EtcdRequestException(PERMISSION_DENIED, "permission denied on " + key + " for user "
                    + access.user().orElse("(none)"));
        }
        if (code == Status.Code.UNAUTHENTICATED && access.user().isPresent()) {
            return new EtcdRequestException(code.value(), "authenticating as user " + access.user().get()
                    + " failed: " + descriptionOf(failure));
        }
        return new EtcdRequestException(code.value(), descriptionOf(failure));
    }

    /**
     * The gRPC status code etcd answered with: jetcd hands some failures on as its own exception, others as gRPC's
     * ({@code put} under a lease that is gone: NOT_FOUND); {@code null} for a failure with no status (no answer).
     */
    private static Status.Code codeOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EtcdException) {
                return Status.Code.valueOf(((EtcdException) cause).getErrorCode().name());
            }
        }
        Status status = Status.fromThrowable(failure);
        return status.getCode() == Status.Code.UNKNOWN && status.getDescription() == null ? null : status.getCode();
    }

    /**
     * etcd's own words for a refusal ("etcdserver: requested lease not found"): the first description along the
     * causes, since jetcd hands a failed authentication on as UNAUTHENTICATED without one, caused by etcd's answer.
     */
    private static String descriptionOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String words = cause instanceof EtcdException ? cause.getMessage()
                    : cause instanceof StatusRuntimeException || cause instanceof StatusException
                            ? Status.fromThrowable(cause).getDescription() : null;
            if (words != null) {
                return words;
            }
        }
        return String.valueOf(Status.fromThrowable(failure));
    }

    /**
     * A call that got no answer in time: the member it went to may hang with its connection open, and gRPC's round
     * robin would keep sending every third call there until keepalive pings give it up, which they do only while a
     * watch is open. A new connection leaves it behind (it never completes its HTTP/2 handshake, so no call is sent
     * to it) and reaches the members that answer. At most once per {@link EtcdConnection#PING_INTERVAL}, so an
     * etcd that is merely slow is not reconnected to over and over.
     */
    private EtcdUnavailableException unanswered(Throwable failure) {
        boolean drop;
        synchronized (this) {
            drop = connection != null && connection.olderThan(EtcdConnection.PING_INTERVAL);
        }
        if (drop) {
            dropConnection();
        }
        return unavailable(failure);
    }

    private EtcdUnavailableException unavailable(Throwable failure) {
        if (TlsHints.tlsFailure(failure) != null) {
            dropConnection(); // the next call builds a new one, reading the TLS files again: fixed files are picked up
        } else {
            EtcdConnection current;
            synchronized (this) {
                current = connection;
            }
            if (current != null) {
                current.connectNow(); // the caller's retry, on the agent's schedule, is the next attempt to connect
            }
        }
        SSLException tls = TlsHints.tlsFailure(failure);
        // the TLS exception's own words (its type, the alert etcd sent) and what to check: people on call need both
        String why = tls != null ? tls.getClass().getSimpleName() + ": " + tls.getMessage()
                + TlsHints.hintFor(tls, access.tls()) : EtcdFailure.describe(failure);
        return new EtcdUnavailableException("no etcd endpoint answered (tried " + access.endpoints() + "): " + why,
                failure);
    }

    /** The first key of a range: the prefix, or "\0" (the first key there is) for the empty prefix. */
    private static ByteSequence firstKey(String prefix) {
        return prefix.isEmpty() ? ALL_KEYS : bytes(prefix);
    }

    /** The end of the key range that holds exactly the keys starting with {@code prefix}. */
    static ByteSequence rangeEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                byte[] trimmed = new byte[i + 1];
                System.arraycopy(end, 0, trimmed, 0, i + 1);
                return ByteSequence.from(trimmed);
            }
        }
        return ALL_KEYS; // all 0xff, or empty: to the end of the key space
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
