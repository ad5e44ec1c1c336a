package org.grpcetcd.agent.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.EtcdRequestException;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.log.FailureEpisode;
import org.grpcetcd.agent.thread.Backoff;
import org.grpcetcd.agent.thread.Guarded;

/**
 * The servers of this JVM in etcd. Every key sits under one lease that the agent keeps alive; when the lease is
 * lost (etcd restarted empty, a long pause, an operator revoked it) a new one is granted and every key put again.
 *
 * <p>The app's threads only change {@link #wanted}; all talk with etcd about registering happens on the agent's
 * scheduler thread, so {@code start()} returns as fast as without the agent. Deregistration is the exception: it
 * runs on the thread that calls {@code shutdown()}, because the keys must be gone before the server stops.
 */
public final class ServerRegistrations {
    private static final int GRPC_NOT_FOUND = 5;

    private final EtcdClient etcd;
    private final ScheduledExecutorService scheduler;
    private final RegistrationPlan plan;
    private final int ttlSeconds;
    private final long drainMillis;
    private final Duration deregisterTimeout;
    private final DrainClock drainClock;

    // guarded by this: what the app's servers want in etcd right now
    private final Map<Object, Map<String, String>> entriesByServer = new IdentityHashMap<>();
    private final Set<Object> outOfService = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, String> wanted = new LinkedHashMap<>();
    private boolean closing;

    // the scheduler thread's own
    private final Set<String> written = new HashSet<>();
    private final Backoff backoff = new Backoff(100, 1000);
    private final FailureEpisode episode;
    private ScheduledFuture<?> keepAliveRun;
    private ScheduledFuture<?> reconcileRetry;
    private volatile long leaseId;
    private boolean leaseIdle; // no key wanted, so not kept alive: it expires after its TTL
    private volatile Instant lastKeepAlive;
    private volatile List<String> writtenView = List.of();
    private final Runnable reconcileTask = Guarded.task("registering", this::reconcile);
    private final Runnable keepAliveTask = Guarded.task("renewing the lease", this::keepAlive);

    public ServerRegistrations(EtcdClient etcd, ScheduledExecutorService scheduler, Settings settings) {
        this.etcd = etcd;
        this.scheduler = scheduler;
        this.plan = new RegistrationPlan(settings);
        this.ttlSeconds = settings.ttlSeconds();
        this.drainMillis = settings.drainMillis();
        this.deregisterTimeout = Duration.ofMillis(settings.deregisterTimeoutMillis());
        this.drainClock = new DrainClock(settings.drainMillis());
        this.episode = new FailureEpisode("registering in etcd " + etcd.endpoints());
    }

    /**
     * Called on the app's thread right after {@code start()} returned, or, for a server that started while the
     * agent was still starting, on the agent's start-up thread.
     */
    public void serverStarted(Object server) throws ReflectiveOperationException {
        Map<String, String> entries = plan.entriesFor(server);
        if (entries.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (closing || entriesByServer.containsKey(server)) {
                return;
            }
            wanted.putAll(entries);
            entriesByServer.put(server, entries);
        }
        scheduler.execute(reconcileTask);
    }

    /** The keys of a started server that is not stopping: in etcd, or to be put there. */
    public synchronized Set<String> keysOf(Object server) {
        Map<String, String> entries = entriesByServer.get(server);
        return entries == null ? Set.of() : Set.copyOf(entries.keySet());
    }

    /** The keys in etcd as of the last successful write or keep-alive; any thread may ask. */
    public Set<String> keysInEtcd() {
        return Set.copyOf(writtenView);
    }

    /** Whether {@code server} is started and not yet stopping. */
    synchronized boolean isRegistered(Object server) {
        return entriesByServer.containsKey(server);
    }

    /**
     * Takes a running server out of etcd (its health says NOT_SERVING) or puts it back; on the agent's thread.
     * Returns the keys concerned.
     */
    Set<String> setInService(Object server, boolean inService) {
        Set<String> keys;
        synchronized (this) {
            Map<String, String> entries = entriesByServer.get(server);
            if (entries == null || closing || outOfService.contains(server) != inService) {
                return Set.of();
            }
            keys = new TreeSet<>(entries.keySet());
            if (inService) {
                outOfService.remove(server);
                wanted.putAll(entries);
            } else {
                outOfService.add(server);
                keys.forEach(wanted::remove);
            }
        }
        if (!inService) {
            for (String key : keys) {
                try {
                    etcd.delete(key, deregisterTimeout);
                    drainClock.left(key);
                } catch (RuntimeException e) {
                    AgentLog.warn("could not delete " + key + " (" + AgentLog.describe(e) + "); it expires with its"
                            + " lease within " + ttlSeconds + "s");
                }
            }
        }
        reconcile();
        return keys;
    }

    /**
     * Called on the app's thread when {@code shutdown()} or {@code shutdownNow()} begins: deletes the server's
     * keys still in etcd, then lets clients move away for what is left of the drain time since they left (none
     * for keys that never reached etcd) before the server stops taking calls.
     */
    public void serverStopping(Object server) {
        Set<String> keys;
        synchronized (this) {
            Map<String, String> entries = entriesByServer.remove(server);
            if (entries == null) {
                return;
            }
            keys = entries.keySet();
            keys.forEach(wanted::remove);
            outOfService.remove(server);
        }
        boolean deleted = true;
        for (String key : keys) {
            if (!drainClock.maybeInEtcd(key)) {
                continue; // never put, or already gone with the revoked lease or the health gate
            }
            try {
                etcd.delete(key, deregisterTimeout);
                drainClock.left(key);
                AgentLog.info("deregistered " + key);
            } catch (RuntimeException e) {
                deleted = false;
                AgentLog.warn("could not delete " + key + " from etcd before the server stopped ("
                        + AgentLog.describe(e) + "); if it was registered, it expires with its lease within "
                        + ttlSeconds + "s");
            }
        }
        scheduler.execute(reconcileTask);
        if (deleted) {
            sleepNanos(drainClock.remainingNanos(keys));
        }
    }

    /**
     * On JVM exit (SIGTERM, System.exit): revokes the lease, which deletes every key at once, stops
     * re-registering, and holds the exit for one drain time so servers keep serving while clients move away.
     * Servers stay known, so an app's own shutdown hook that calls {@code shutdown()} concurrently with this
     * still deregisters first; servers it stops after the revoke wait only for what is left of that one drain.
     */
    public void close() {
        boolean hadServers;
        synchronized (this) {
            closing = true;
            wanted.clear();
            hadServers = !entriesByServer.isEmpty();
        }
        long lease = leaseId;
        if (lease == 0) {
            return;
        }
        try {
            etcd.revokeLease(lease, deregisterTimeout);
            AgentLog.info("revoked lease " + Long.toHexString(lease) + " on exit: this JVM's keys are removed");
        } catch (RuntimeException e) {
            AgentLog.warn("could not revoke lease on exit (" + AgentLog.describe(e) + "); keys expire within "
                    + ttlSeconds + "s");
            return;
        }
        if (drainClock.allLeft() && hadServers && drainMillis > 0) {
            sleep(drainMillis);
        }
    }

    /** For the status MBean: each key in etcd now, its lease and the last keep-alive; any thread may ask. */
    public List<String> status() {
        long lease = leaseId;
        Instant renewed = lastKeepAlive;
        List<String> lines = new ArrayList<>();
        for (String key : writtenView) {
            lines.add(key + " lease=" + Long.toHexString(lease) + " ttl=" + ttlSeconds + "s last-keep-alive="
                    + renewed);
        }
        return lines;
    }

    private synchronized Map<String, String> wantedNow() {
        return new LinkedHashMap<>(wanted);
    }

    private synchronized boolean stillWanted(String key) {
        return wanted.containsKey(key);
    }

    /** Makes etcd hold exactly the wanted keys under a live lease, then keeps the lease alive. */
    private void reconcile() {
        cancel(reconcileRetry);
        reconcileRetry = null;
        Map<String, String> now = wantedNow();
        written.retainAll(now.keySet());
        if (now.isEmpty()) {
            leaseIdle = leaseId != 0; // nothing to keep alive; an idle lease simply expires
            return;
        }
        try {
            if (leaseId == 0) {
                leaseId = etcd.grantLease(ttlSeconds);
                written.clear();
                scheduleKeepAlive(keepAliveIntervalMillis());
            }
            for (Map.Entry<String, String> entry : now.entrySet()) {
                if (written.contains(entry.getKey())) {
                    continue;
                }
                drainClock.putting(entry.getKey());
                try {
                    etcd.put(entry.getKey(), entry.getValue(), leaseId);
                } catch (RuntimeException e) {
                    drainClock.notPut(entry.getKey()); // taken as not stored: the retry marks it again
                    throw e;
                }
                if (stillWanted(entry.getKey())) {
                    written.add(entry.getKey());
                    AgentLog.info("registered " + entry.getKey() + " (lease " + Long.toHexString(leaseId) + ", ttl "
                            + ttlSeconds + "s)");
                } else {
                    etcd.delete(entry.getKey(), deregisterTimeout); // the server stopped while we wrote it
                    drainClock.left(entry.getKey());
                }
            }
            leaseIdle = false;
            succeeded();
            if (keepAliveRun == null) {
                scheduleKeepAlive(keepAliveIntervalMillis());
            }
        } catch (EtcdRequestException e) {
            if (e.code() == GRPC_NOT_FOUND) {
                leaseId = 0; // the lease vanished: expired while idle, or between grant and put
                written.clear();
                if (leaseIdle) {
                    // expected after every server was out of etcd for longer than the TTL (a long NOT_SERVING)
                    leaseIdle = false;
                    AgentLog.debug("the idle lease expired; registering under a new lease");
                    reconcile();
                    return;
                }
            }
            retryReconcile(e);
        } catch (RuntimeException e) {
            retryReconcile(e);
        }
    }

    /**
     * Renews the lease on its own schedule, every TTL/3: servers starting and stopping (which reconcile) never
     * push it back, so a busy JVM cannot starve its own lease.
     */
    private void keepAlive() {
        keepAliveRun = null;
        if (wantedNow().isEmpty()) {
            leaseIdle = leaseId != 0;
            return;
        }
        if (leaseId == 0) {
            reconcile(); // no lease yet: granting it is reconcile's job
            return;
        }
        try {
            long left = etcd.keepAliveOnce(leaseId);
            if (left <= 0) {
                // the keep-alive may run before the reconcile of a server back from NOT_SERVING: an idle lease
                // that expired is no news there either
                if (leaseIdle) {
                    AgentLog.debug("the idle lease expired; registering under a new lease");
                } else {
                    AgentLog.warn("lease " + Long.toHexString(leaseId)
                            + " is gone from etcd; registering again under a new lease");
                }
                leaseIdle = false;
                leaseId = 0;
                written.clear();
                reconcile();
                return;
            }
            if (someKeyMissing()) {
                reconcile();
            }
            succeeded();
            scheduleKeepAlive(keepAliveIntervalMillis());
        } catch (RuntimeException e) {
            if (!isClosing()) {
                episode.failed(AgentLog.describe(e));
                scheduleKeepAlive(backoff.nextDelayMillis());
            }
        }
    }

    /** A key deleted by hand (or by a tool) while its lease lives on is put back, not lost until restart. */
    private boolean someKeyMissing() {
        boolean missing = false;
        for (String key : new ArrayList<>(written)) {
            if (!etcd.exists(key) && stillWanted(key)) {
                AgentLog.warn(key + " was deleted from etcd while its server runs; putting it back");
                written.remove(key);
                missing = true;
            }
        }
        return missing;
    }

    private long keepAliveIntervalMillis() {
        return Math.max(500, ttlSeconds * 1000L / 3);
    }

    private void succeeded() {
        lastKeepAlive = Instant.now();
        writtenView = List.copyOf(new TreeSet<>(written));
        episode.succeeded();
        backoff.reset();
    }

    private void retryReconcile(RuntimeException failure) {
        if (isClosing()) {
            return;
        }
        episode.failed(AgentLog.describe(failure));
        reconcileRetry = scheduler.schedule(reconcileTask, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized boolean isClosing() {
        return closing;
    }

    private void scheduleKeepAlive(long delayMillis) {
        cancel(keepAliveRun);
        keepAliveRun = scheduler.schedule(keepAliveTask, delayMillis, TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> run) {
        if (run != null) {
            run.cancel(false);
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos > 0) {
            sleep((nanos + 999_999) / 1_000_000);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
