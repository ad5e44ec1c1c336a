package org.grpcetcd.agent.log;

/**
 * Logs a failure once when it starts and once when it is over, however many retries lie between: people on
 * call read one line that says what broke and one that says it recovered, not a retry every 100 ms.
 */
public final class FailureEpisode {
    private final String what;
    private boolean failing;

    /** {@code what} names the activity, as in "registering orders in etcd". */
    public FailureEpisode(String what) {
        this.what = what;
    }

    public synchronized void failed(String reason) {
        if (!failing) {
            failing = true;
            AgentLog.warn(what + " failed: " + reason + "; retrying until it works");
        } else {
            AgentLog.debug(what + " failed again: " + reason);
        }
    }

    public synchronized void succeeded() {
        if (failing) {
            failing = false;
            AgentLog.info(what + " works again");
        }
    }
}
