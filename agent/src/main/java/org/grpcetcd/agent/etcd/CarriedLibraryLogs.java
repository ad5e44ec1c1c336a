package org.grpcetcd.agent.etcd;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.grpcetcd.agent.log.AgentLog;

/**
 * Keeps what the agent's own gRPC copy logs through {@code java.util.logging} out of the app's output: its loggers
 * carry relocated names ({@code org.grpcetcd.agent.shaded.io.grpc...}), so the agent takes over that one branch of
 * the JVM-wide logger tree and hands its warnings to the agent's log, at debug level (the agent says what failed
 * in its own words). The app's own loggers, and
 * its logging configuration, are not touched. (Netty and Vert.x log through the carried SLF4J, whose only provider
 * is the no-op one.)
 */
final class CarriedLibraryLogs {
    private static final String SHADED = "org.grpcetcd.agent.shaded";
    /** Held here: java.util.logging keeps loggers weakly, and a collected one would lose these settings. */
    private static volatile Logger root;

    private CarriedLibraryLogs() {
    }

    /**
     * Called when the first etcd connection is built, on an agent thread: never in premain, where touching
     * java.util.logging would initialise it before an app that sets {@code java.util.logging.manager}.
     */
    static synchronized void routeToAgentLog() {
        if (root != null) {
            return;
        }
        Logger logger = Logger.getLogger(SHADED);
        logger.setUseParentHandlers(false);
        // their warnings only (a connection lost, a retry): their debug output is a trace of every HTTP/2 frame
        logger.setLevel(Level.WARNING);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                AgentLog.debug("etcd client: " + record.getLoggerName() + ": " + record.getMessage()
                        + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")"));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        root = logger;
    }
}
