package dev.modelfeedback.core.window;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The wall clock; one daemon thread closes the boundaries of every registered set of windows once a
 * second. The thread starts with the first registration and ends when no live windows remain, so
 * an application that drops its recorders (or a redeployed web application) leaves no thread behind.
 */
final class SystemWindowClock extends WindowClock {

    static final SystemWindowClock INSTANCE = new SystemWindowClock();

    /** How often boundaries are closed: the most a capture can lag behind a boundary. */
    static final long TICK_MILLIS = 1_000;

    private static final System.Logger LOG = System.getLogger(SystemWindowClock.class.getName());

    private final List<WeakReference<SlidingWindows>> registered = new ArrayList<>();
    private boolean ticking;

    private SystemWindowClock() {
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    synchronized void register(SlidingWindows windows) {
        registered.add(new WeakReference<>(windows));
        if (!ticking) {
            ticking = true;
            Thread thread = new Thread(this::run, "model-feedback-windows");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    synchronized void unregister(SlidingWindows windows) {
        registered.removeIf(reference -> {
            SlidingWindows registeredWindows = reference.get();
            return registeredWindows == null || registeredWindows == windows;
        });
    }

    private void run() {
        while (true) {
            try {
                // Wake just after each second, so that captures fall soon after boundaries.
                Thread.sleep(TICK_MILLIS - System.currentTimeMillis() % TICK_MILLIS + 1);
            } catch (InterruptedException e) {
                stop();
                return;
            }
            List<SlidingWindows> toTick = live();
            if (toTick.isEmpty()) {
                return;
            }
            for (SlidingWindows windows : toTick) {
                try {
                    windows.tick();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "closing window boundaries failed; the next tick retries", e);
                }
            }
        }
    }

    /** The windows still alive; when none are, stops ticking (atomically with registration). */
    private synchronized List<SlidingWindows> live() {
        List<SlidingWindows> alive = new ArrayList<>(registered.size());
        for (Iterator<WeakReference<SlidingWindows>> it = registered.iterator(); it.hasNext(); ) {
            SlidingWindows windows = it.next().get();
            if (windows == null) {
                it.remove();
            } else {
                alive.add(windows);
            }
        }
        if (alive.isEmpty()) {
            ticking = false;
        }
        return alive;
    }

    private synchronized void stop() {
        ticking = false;
    }
}
