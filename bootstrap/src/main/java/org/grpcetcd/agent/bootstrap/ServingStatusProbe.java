package org.grpcetcd.agent.bootstrap;

/**
 * Asks a server of this JVM for its {@code grpc.health.v1.Health} status, through the app's own gRPC. The agent
 * uses it for health-gated registration.
 */
public interface ServingStatusProbe {
    int UNKNOWN = 0;
    int SERVING = 1;
    int NOT_SERVING = 2;
    /** The server has no health service. */
    int NO_HEALTH_SERVICE = -1;
    /** The probe could not get an answer (timeout, refused, TLS-only server). */
    int NO_ANSWER = -2;

    /** The overall status (service name ""), waiting at most {@code timeoutMillis}. */
    int servingStatus(long timeoutMillis);

    void close();
}
