package org.grpcetcd.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** How the tests ask an app to stop: a line {@code stop} on its stdin, or the end of stdin. */
final class StdinStop {
    private StdinStop() {
    }

    /** Runs {@code action} on a daemon thread once {@code stop} arrives or stdin ends. */
    static void then(Runnable action) {
        Thread stopper = new Thread(() -> {
            await();
            action.run();
        }, "stdin-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Blocks until {@code stop} arrives or stdin ends. */
    static void await() {
        try {
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
                if (line.trim().equals("stop")) {
                    return;
                }
            }
        } catch (IOException closed) {
            // stdin closed: stop too
        }
    }
}
