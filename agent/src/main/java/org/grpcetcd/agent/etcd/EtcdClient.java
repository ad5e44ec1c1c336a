package org.grpcetcd.agent.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.grpcetcd.agent.json.Json;

/** The etcd operations the agent needs: keys, leases and watches. Blocking calls; watches deliver on their own. */
public final class EtcdClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private static final int PERMISSION_DENIED = 7;

    private final EtcdGateway gateway;
    private final WatchMultiplexer watches;

    public EtcdClient(EtcdAccess access, Executor httpExecutor) {
        this(access, httpExecutor, httpExecutor);
    }

    /** {@code watchExecutor}: where the shared watch request is replaced when watches come and go. */
    public EtcdClient(EtcdAccess access, Executor httpExecutor, Executor watchExecutor) {
        this.gateway = new EtcdGateway(access, httpExecutor);
        this.watches = new WatchMultiplexer(gateway, watchExecutor);
    }

    public List<URI> endpoints() {
        return gateway.endpoints();
    }

    /** Every key that starts with {@code prefix} (every key, for an empty prefix), and their revision. */
    public RangeResult rangePrefix(String prefix) {
        return range(prefix, prefix, "");
    }

    /**
     * One page of the keys under {@code prefix}: at most {@code limit} of them, in key order, from {@code fromKey}
     * on (the prefix itself for the first page), as they were at {@code atRevision} (0: now; give the first
     * page's revision to read every page at once). A page with fewer than {@code limit} keys is the last.
     */
    public RangeResult rangePage(String prefix, String fromKey, int limit, long atRevision) {
        return range(prefix, fromKey, ",\"limit\":" + limit + (atRevision == 0 ? "" : ",\"revision\":" + atRevision));
    }

    private RangeResult range(String prefix, String fromKey, String options) {
        String key = fromKey.isEmpty() ? Json.quote("AA==") : quoted(fromKey); // "\0": from the first key on
        Map<String, Object> answer = call(prefix, "/v3/kv/range", "{\"key\":" + key
                + ",\"range_end\":" + Json.quote(EtcdBytes.prefixRangeEnd(prefix)) + options + "}", REQUEST_TIMEOUT);
        List<KeyValue> keyValues = new ArrayList<>();
        for (Map<String, Object> kv : JsonFields.objectList(answer, "kvs")) {
            keyValues.add(new KeyValue(EtcdBytes.decode(kv.get("key")), EtcdBytes.decode(kv.get("value")),
                    JsonFields.longField(kv, "lease")));
        }
        return new RangeResult(JsonFields.revision(answer), keyValues);
    }

    /** Whether {@code key} exists in etcd. */
    public boolean exists(String key) {
        Map<String, Object> answer = call(key, "/v3/kv/range", "{\"key\":" + quoted(key)
                + ",\"count_only\":true}", REQUEST_TIMEOUT);
        return JsonFields.longField(answer, "count") > 0;
    }

    /**
     * Checks that this user may put {@code key} without putting it: a transaction whose put sits behind a
     * comparison that can never hold (version below 0). etcd checks the permissions of every operation of a
     * transaction, run or not, so a missing grant is refused with "permission denied".
     */
    public void checkMayPut(String key) {
        call(key, "/v3/kv/txn", "{\"compare\":[{\"key\":" + quoted(key) + ",\"result\":\"LESS\","
                + "\"target\":\"VERSION\",\"version\":\"0\"}],\"success\":[{\"request_put\":{\"key\":"
                + quoted(key) + ",\"value\":" + quoted("") + "}}]}", REQUEST_TIMEOUT);
    }

    /** Puts {@code key} under {@code leaseId} (0: no lease). */
    public void put(String key, String value, long leaseId) {
        call(key, "/v3/kv/put", "{\"key\":" + quoted(key) + ",\"value\":" + quoted(value)
                + (leaseId == 0 ? "" : ",\"lease\":\"" + leaseId + "\"") + "}", REQUEST_TIMEOUT);
    }

    public void delete(String key, Duration timeout) {
        call(key, "/v3/kv/deleterange", "{\"key\":" + quoted(key) + "}", timeout);
    }

    /** Grants a lease of {@code ttlSeconds} and returns its id. */
    public long grantLease(int ttlSeconds) {
        Map<String, Object> answer = gateway.call("/v3/lease/grant", "{\"TTL\":" + ttlSeconds + "}", REQUEST_TIMEOUT);
        long id = JsonFields.longField(answer, "ID");
        if (id == 0) {
            throw new EtcdRequestException(0, "etcd granted no lease: " + answer);
        }
        return id;
    }

    /** Renews a lease once; returns the seconds it has left, 0 when etcd no longer has it. */
    public long keepAliveOnce(long leaseId) {
        Map<String, Object> answer = gateway.call("/v3/lease/keepalive", "{\"ID\":\"" + leaseId + "\"}",
                REQUEST_TIMEOUT);
        return JsonFields.longField(JsonFields.objectField(answer, "result"), "TTL");
    }

    /** Seconds a lease has left; negative when etcd no longer has it. */
    public long leaseTimeToLive(long leaseId) {
        Map<String, Object> answer = gateway.call("/v3/lease/timetolive", "{\"ID\":\"" + leaseId + "\"}",
                REQUEST_TIMEOUT);
        return JsonFields.longField(answer, "TTL");
    }

    /** The etcd server's version, as its status reports it. */
    public String serverVersion() {
        Map<String, Object> answer = gateway.call("/v3/maintenance/status", "{}", REQUEST_TIMEOUT);
        return String.valueOf(answer.get("version"));
    }

    /** Revokes a lease, which deletes every key under it. */
    public void revokeLease(long leaseId, Duration timeout) {
        gateway.call("/v3/lease/revoke", "{\"ID\":\"" + leaseId + "\"}", timeout);
    }

    /**
     * Watches every key under {@code prefix} from {@code fromRevision} on. Every watch of this client shares one
     * connection to etcd (see {@link WatchMultiplexer}).
     */
    public WatchHandle watchPrefix(String prefix, long fromRevision, WatchListener listener) {
        return watches.watch(prefix, fromRevision, listener);
    }

    /** A key operation; a refusal names the key and the user, so people on call know which grant is missing. */
    private Map<String, Object> call(String key, String path, String body, Duration timeout) {
        try {
            return gateway.call(path, body, timeout);
        } catch (EtcdRequestException e) {
            if (e.code() == PERMISSION_DENIED) {
                throw new EtcdRequestException(PERMISSION_DENIED, "permission denied on " + key + " for user "
                        + (gateway.user() == null ? "(none)" : gateway.user()));
            }
            throw e;
        }
    }

    private static String quoted(String text) {
        return Json.quote(EtcdBytes.encode(text));
    }
}
