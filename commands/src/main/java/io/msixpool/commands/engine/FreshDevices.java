package io.msixpool.commands.engine;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.store.StoreFailure;
import io.msixpool.domain.command.DeviceCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Devices kept in memory on a store that other processes write too (PostgreSQL, several nodes).
 * A device in memory may miss what another node committed since, so before each command this
 * checks the store's last sequence of the device against the one this process last committed for
 * it, and drops the device from memory when they differ: the command then loads it from the store
 * (snapshot and events after it), as it would with no memory at all. One indexed read instead of a
 * snapshot and up to 250 events, whenever this process was the last to write the device.
 *
 * <p>Why a match means the cached device is current: this process caches a device only as it was
 * loaded from the store or as its own command left it. If the store's last sequence is the one
 * this process committed last, nobody wrote since; a cached device is that state or was loaded
 * from the store at that very sequence (the last sequence never goes back). Anything uncommitted
 * never counts: sequences are taken over only once their transaction committed, and a rolled-back
 * group drops every cached device (GroupCommit.decideGroup).
 */
final class FreshDevices implements MessageHandlerInterceptor<CommandMessage<?>> {
    private static final String LAST_SEQUENCE = "SELECT MAX(" + EventStorage.SCHEMA.sequenceNumberColumn() + ") FROM "
            + EventStorage.SCHEMA.domainEventTable() + " WHERE " + EventStorage.SCHEMA.aggregateIdentifierColumn() + " = ?";

    private final Cache devices;
    private final JdbcTransactions transactions;
    private final CommittedSequences sequences;
    /** Per device, the last sequence this process committed. */
    private final Map<String, Long> committed = new ConcurrentHashMap<>();

    FreshDevices(Cache devices, JdbcTransactions transactions, CommittedSequences sequences) {
        this.devices = devices;
        this.transactions = transactions;
        this.sequences = sequences;
        sequences.onCommitted((device, sequence) -> committed.merge(device, sequence, Math::max));
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        if (unitOfWork.getMessage().getPayload() instanceof DeviceCommand command) {
            dropUnlessCurrent(command.device());
        }
        return chain.proceed();
    }

    private void dropUnlessCurrent(String device) {
        Long known = sequences.appendedInThisTransaction(device);  // this transaction's own appends come first
        if (known == null) {
            known = committed.get(device);
        }
        if (known == null || known != lastSequence(device)) {
            devices.remove(device);
        }
    }

    /** The device's last sequence in the store, as this command's transaction sees it; -1 for none. */
    private long lastSequence(String device) {
        try (Connection connection = transactions.getConnection();
             PreparedStatement select = connection.prepareStatement(LAST_SEQUENCE)) {
            select.setString(1, device);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                long last = row.getLong(1);
                return row.wasNull() ? -1 : last;
            }
        } catch (SQLException e) {
            throw new StoreFailure("cannot read the last sequence of device " + device, e);
        }
    }
}
