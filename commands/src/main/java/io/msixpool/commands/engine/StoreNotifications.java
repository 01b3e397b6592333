package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreLocation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes of one PostgreSQL store wake each other's followers (watch feeds, the fleet) when they commit
 * events, through PostgreSQL's LISTEN/NOTIFY, instead of leaving them to find the events at the event
 * store's next poll. After a commit of this process (any engine: a node, or a command line writing to
 * the store), a NOTIFY on {@link #CHANNEL}; in an engine that follows the store, on a connection of its
 * own, a LISTEN that wakes its followers on each notification of another process.
 *
 * <p>The NOTIFY goes after the commit, from a thread of its own, and one covers every commit made
 * while the last was sent: PostgreSQL serialises the commits of transactions that NOTIFY (a lock held
 * through the commit's flush), which inside the writers' transactions would undo their group commits.
 * A notification wakes; it carries nothing that could be lost. A node that fails between its commit
 * and its NOTIFY, a notification dropped with the listening connection, a listener reconnecting:
 * the events are in the store either way, found at the next poll, which is the safety net, and by
 * the wake every (re)connected listener gives at once (what was committed while nobody listened).
 */
final class StoreNotifications {
    static final String CHANNEL = "msix_events";
    /** How long the listener waits for notifications at a time: what closing may wait for it. */
    private static final int LISTEN_WAIT_MILLIS = 250;
    /** After a failed connection, the listener tries again this much later (the poll covers the gap). */
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(StoreNotifications.class);

    /** This node's notifications, which its own listener ignores: its followers were woken by the commit itself. */
    private final String node = UUID.randomUUID().toString();
    private final StoreLocation.Postgres store;
    private final JdbcTransactions transactions;
    private final Runnable wake;
    private final Thread notifier;
    private final Thread listener;
    private boolean notifyDue;
    private volatile boolean closed;
    private boolean notifyFailing;

    /** @param wake wakes this node's followers (quick: it only signals the event store's reader); null: none, no LISTEN */
    StoreNotifications(StoreLocation.Postgres store, JdbcTransactions transactions, Runnable wake) {
        this.store = store;
        this.transactions = transactions;
        this.wake = wake;
        this.notifier = Thread.ofPlatform().daemon().name("msix-store-notify").unstarted(this::notifyAfterCommits);
        this.listener = Thread.ofPlatform().daemon().name("msix-store-listen").unstarted(this::listen);
    }

    void start() {
        notifier.start();
        if (wake != null) {
            listener.start();
        }
    }

    /** This node committed events (on the committing thread: it only marks a NOTIFY due). */
    synchronized void committed() {
        notifyDue = true;
        notifyAll();
    }

    /** Stops both threads and waits for them (the listener within {@link #LISTEN_WAIT_MILLIS}). */
    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            joinIfStarted(notifier);
            joinIfStarted(listener); // an engine that does not follow the store never starts it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link Thread#join(Duration)} throws for a thread never started (an engine that failed to start, or does not listen). */
    private static void joinIfStarted(Thread thread) throws InterruptedException {
        if (thread.getState() != Thread.State.NEW) {
            thread.join(Duration.ofSeconds(5));
        }
    }

    private void notifyAfterCommits() {
        while (awaitCommit()) {
            try (Connection connection = transactions.getConnection();
                 PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, node);
                notify.execute();
                if (notifyFailing) {
                    notifyFailing = false;
                    LOG.info("other nodes are notified of this node's commits again");
                }
            } catch (SQLException | RuntimeException e) {
                if (!notifyFailing && !closed) {
                    notifyFailing = true;
                    LOG.warn("cannot notify other nodes of this node's commits ({}); they see them at their next poll", e.getMessage());
                }
            }
        }
    }

    /** Waits until a commit made a NOTIFY due: true, and it is no longer due; false once closed. */
    private synchronized boolean awaitCommit() {
        try {
            while (!notifyDue && !closed) {
                wait();
            }
        } catch (InterruptedException e) {
            return false;
        }
        notifyDue = false;
        return !closed;
    }

    private void listen() {
        boolean lost = false;
        while (!closed) {
            Properties properties = StoreLocation.Postgres.driverProperties();
            properties.setProperty("ApplicationName", "msix-listen " + node); // outside the pool: a session that lasts
            try (Connection connection = DriverManager.getConnection(store.url(), properties)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (lost) {
                    LOG.info("listening for other nodes' commits again");
                    lost = false;
                }
                wake.run(); // whatever was committed while this node did not listen
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (!closed) {
                    if (fromOtherNodes(notifications.getNotifications(LISTEN_WAIT_MILLIS))) {
                        wake.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!lost) {
                    lost = true;
                    LOG.warn("not listening for other nodes' commits ({}); their changes reach this node at its "
                            + "next poll until it listens again", e.getMessage());
                }
                if (!pause(RECONNECT_AFTER)) {
                    return;
                }
            }
        }
    }

    private boolean fromOtherNodes(PGNotification[] received) {
        if (received != null) {
            for (PGNotification notification : received) {
                if (!node.equals(notification.getParameter())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Waits {@code pause} unless closed first: false once closed. */
    private synchronized boolean pause(Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        try {
            for (long left = pause.toMillis(); !closed && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                wait(left);
            }
        } catch (InterruptedException e) {
            return false;
        }
        return !closed;
    }
}
