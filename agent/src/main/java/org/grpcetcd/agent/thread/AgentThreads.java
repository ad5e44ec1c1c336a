package org.grpcetcd.agent.thread;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's threads, all daemons so they never hold the JVM open: one scheduler that owns registration and
 * discovery state, and a small pool on which the HTTP client reads etcd's answers. Created on first use, so an
 * app that never starts a server nor dials etcd:/// gets no thread at all.
 */
public final class AgentThreads {
    private static final int HTTP_THREADS = 2;

    private final ScheduledExecutorService scheduler;
    private final ExecutorService http;

    public AgentThreads() {
        ScheduledThreadPoolExecutor single = new ScheduledThreadPoolExecutor(1, daemon("grpc-etcd-agent"));
        single.setRemoveOnCancelPolicy(true);
        this.scheduler = single;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("grpc-etcd-agent-http"));
        pool.allowCoreThreadTimeOut(true);
        this.http = pool;
    }

    /** The single thread that owns the agent's state: tasks on it never run concurrently. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Where the HTTP client runs its callbacks; never blocked by the agent's own work. */
    public ExecutorService http() {
        return http;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            int n = count.incrementAndGet();
            Thread thread = new Thread(runnable, n == 1 ? name : name + "-" + n);
            thread.setDaemon(true);
            return thread;
        };
    }
}
