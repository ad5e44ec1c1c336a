package org.grpcetcd.agent.thread;

import org.grpcetcd.agent.log.AgentLog;

/**
 * Wraps the agent's scheduled work so that an unexpected exception is logged and the scheduler thread lives
 * on: a task that throws inside a ScheduledExecutorService would otherwise vanish without a word.
 */
public final class Guarded {
    private Guarded() {
    }

    public static Runnable task(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                AgentLog.error("unexpected failure while " + what + " (" + AgentLog.describe(e)
                        + "); the agent carries on");
            }
        };
    }
}
