package org.grpcetcd.agent.registry;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.agent.bootstrap.ServingStatusProbe;
import org.grpcetcd.agent.instrument.HealthProbes;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.thread.Guarded;

/**
 * Health-gated registration ({@code grpc.etcd.health-gated=true}): asks each started server for its
 * {@code grpc.health.v1.Health} status every second and takes it out of etcd while it says NOT_SERVING. A server
 * without a health service, or one that does not answer over plaintext, stays registered (said once).
 */
public final class HealthGate {
    private static final long PERIOD_MILLIS = 1000;
    private static final long PROBE_TIMEOUT_MILLIS = 800;
    private static final int UNANSWERED_BEFORE_WARNING = 3;

    private final ServerRegistrations registrations;
    private final HealthProbes probes;
    private final ScheduledExecutorService scheduler;

    public HealthGate(ServerRegistrations registrations, HealthProbes probes, ScheduledExecutorService scheduler) {
        this.registrations = registrations;
        this.probes = probes;
        this.scheduler = scheduler;
    }

    /** Starts watching the health of a server that just started; on the app's thread, so it only schedules. */
    public void serverStarted(Object server) {
        scheduler.execute(Guarded.task("starting a health probe", () -> startProbing(server)));
    }

    private void startProbing(Object server) {
        ServingStatusProbe probe;
        try {
            List<InetSocketAddress> bound = GrpcServerView.listenAddresses(server);
            if (bound.isEmpty()) {
                return;
            }
            probe = probes.probe(server, bound.get(0));
        } catch (Exception | LinkageError e) {
            AgentLog.warn("cannot probe the health of a server (" + AgentLog.describe(e)
                    + "); it stays registered whatever its health");
            return;
        }
        new Prober(server, probe).schedule();
    }

    private final class Prober {
        private final Object server;
        private final ServingStatusProbe probe;
        private boolean reportedNoHealth;
        private int unanswered;
        private ScheduledFuture<?> next;

        Prober(Object server, ServingStatusProbe probe) {
            this.server = server;
            this.probe = probe;
        }

        void schedule() {
            next = scheduler.schedule(Guarded.task("probing a server's health", this::probe), PERIOD_MILLIS,
                    TimeUnit.MILLISECONDS);
        }

        private void probe() {
            if (!registrations.isRegistered(server)) {
                probe.close(); // the server stopped
                return;
            }
            int status = probe.servingStatus(PROBE_TIMEOUT_MILLIS);
            unanswered = status == ServingStatusProbe.NO_ANSWER ? unanswered + 1 : 0;
            if (status == ServingStatusProbe.SERVING || status == ServingStatusProbe.NOT_SERVING) {
                reportedNoHealth = false; // answered: a later, lasting silence is worth a new warning
            }
            if (status == ServingStatusProbe.NOT_SERVING) {
                Set<String> keys = registrations.setInService(server, false);
                if (!keys.isEmpty()) {
                    AgentLog.info("health says NOT_SERVING: took " + keys + " out of etcd until it says SERVING");
                }
            } else if (status == ServingStatusProbe.SERVING) {
                Set<String> keys = registrations.setInService(server, true);
                if (!keys.isEmpty()) {
                    AgentLog.info("health says SERVING again: " + keys + " back in etcd");
                }
            } else if (!reportedNoHealth && (status == ServingStatusProbe.NO_HEALTH_SERVICE
                    || unanswered >= UNANSWERED_BEFORE_WARNING)) {
                reportedNoHealth = true; // said once; the first probe alone may be slow while its channel connects
                AgentLog.warn("grpc.etcd.health-gated is on, but a server "
                        + (status == ServingStatusProbe.NO_HEALTH_SERVICE ? "has no grpc.health.v1.Health service"
                                : "does not answer health checks over plaintext")
                        + "; it stays registered whatever its health");
            }
            schedule();
        }
    }
}
