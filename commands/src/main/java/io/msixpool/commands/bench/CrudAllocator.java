package io.msixpool.commands.bench;

import io.msixpool.commands.store.JdbcTransactions;
import io.msixpool.commands.wire.Outcome;
import io.msixpool.domain.CommandDigest;
import io.msixpool.domain.Decision;
import io.msixpool.domain.DeviceRules;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.RecentCommands;
import io.msixpool.domain.command.ArmReset;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import io.msixpool.domain.state.PfState;
import io.msixpool.domain.state.VfState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The contender a team would write instead of event sourcing: tables of PFs and VFs updated in
 * place, one transaction per command under {@code SELECT ... FOR UPDATE} of the device's PF rows.
 *
 * <p>It decides with the very same rules ({@link DeviceRules}) so that the comparison is about
 * storage, not about rules: it loads the rows a command needs (every PF row of the device, the VF
 * rows of the PF it names, all VF rows for an Arm reset), decides, folds the events with the same
 * {@link DeviceState#evolve}, and writes back only the rows that changed. Retries are recognised by a
 * table of accepted command ids, as in the engine. What it does not keep is history.
 */
final class CrudAllocator {
    private final JdbcTransactions transactions;
    /** " FOR UPDATE" where rows must be locked; empty where a write transaction holds the whole store (SQLite). */
    private final String lockRows;

    CrudAllocator(JdbcTransactions transactions, boolean storeLockedPerTransaction) {
        this.transactions = transactions;
        this.lockRows = storeLockedPerTransaction ? "" : " FOR UPDATE";
        try (Connection connection = transactions.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS crud_pf (device VARCHAR(64), pf VARCHAR(64), emulation VARCHAR(16), "
                    + "vf_count INT, msix_total INT, vf_min INT, vf_max INT, msix_free INT, is_open BOOLEAN, "
                    + "dynamic_msix BOOLEAN, num_vfs INT, PRIMARY KEY (device, pf))");
            ddl.execute("CREATE TABLE IF NOT EXISTS crud_vf (device VARCHAR(64), pf VARCHAR(64), vf INT, msix INT, "
                    + "is_open BOOLEAN, PRIMARY KEY (device, pf, vf))");
            ddl.execute("CREATE TABLE IF NOT EXISTS crud_command (device VARCHAR(64), command_id VARCHAR(128), "
                    + "digest VARCHAR(64), PRIMARY KEY (device, command_id))");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the CRUD tables", e);
        }
    }

    Outcome decide(DeviceCommand command) throws SQLException {
        var transaction = transactions.startTransaction();
        try (Connection connection = transactions.getConnection()) {
            Outcome outcome = decide(connection, command);
            transaction.commit();
            return outcome;
        } catch (SQLException | RuntimeException failure) {
            transaction.rollback();
            throw failure;
        }
    }

    private Outcome decide(Connection connection, DeviceCommand command) throws SQLException {
        String device = command.device();
        String target = command instanceof ArmReset ? null : pfOf(command);
        DeviceState before = load(connection, device, target);
        String digest = command.commandId() == null ? null : CommandDigest.of(command);
        Decision decision = (digest == null ? Optional.<Decision>empty()
                : remembered(connection, device, command.commandId()).recall(command.commandId(), digest))
                .orElseGet(() -> DeviceRules.decide(before, command));
        if (!(decision instanceof Decision.Accepted accepted)) {
            return Outcome.of(decision);  // a duplicate or a refusal: nothing to write
        }
        List<DeviceEvent> events = accepted.events();
        DeviceState after = before;
        for (DeviceEvent event : events) {
            after = after.evolve(event);
        }
        write(connection, device, before, after);
        if (digest != null && !events.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO crud_command (device, command_id, digest) VALUES (?, ?, ?)")) {
                insert.setString(1, device);
                insert.setString(2, command.commandId());
                insert.setString(3, digest);
                insert.executeUpdate();
            }
        }
        return new Outcome.Accepted(false, events);
    }

    /** Every PF of {@code device} with all its VFs, as the rows hold them now. */
    List<PfState> pools(String device) throws SQLException {
        try (Connection connection = transactions.getConnection()) {
            return List.copyOf(load(connection, device, null).pfs().values());
        }
    }

    private static String pfOf(DeviceCommand command) {
        try {
            return (String) command.getClass().getMethod("pf").invoke(command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(command.getClass().getSimpleName() + " names no PF", e);
        }
    }

    /** The device's PF rows, locked first; then the VF rows of {@code target} (of every PF when null). */
    private DeviceState load(Connection connection, String device, String target) throws SQLException {
        record PfRow(String pf, Emulation emulation, int vfCount, int msixTotal, int vfMin, int vfMax, int msixFree,
                     boolean open, boolean dynamicMsix, int numVfs) {
        }
        List<PfRow> pfRows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT pf, emulation, vf_count, msix_total, vf_min, vf_max, msix_free, is_open, dynamic_msix, num_vfs "
                        + "FROM crud_pf WHERE device = ?" + lockRows)) {
            select.setString(1, device);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pfRows.add(new PfRow(rows.getString(1), Emulation.valueOf(rows.getString(2)), rows.getInt(3),
                            rows.getInt(4), rows.getInt(5), rows.getInt(6), rows.getInt(7), rows.getBoolean(8),
                            rows.getBoolean(9), rows.getInt(10)));
                }
            }
        }
        Map<String, List<VfState>> vfs = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement(target == null
                ? "SELECT pf, vf, msix, is_open FROM crud_vf WHERE device = ? ORDER BY pf, vf"
                : "SELECT pf, vf, msix, is_open FROM crud_vf WHERE device = ? AND pf = ? ORDER BY vf")) {
            select.setString(1, device);
            if (target != null) {
                select.setString(2, target);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    vfs.computeIfAbsent(rows.getString(1), pf -> new ArrayList<>())
                            .add(new VfState(rows.getInt(2), rows.getInt(3), rows.getBoolean(4)));
                }
            }
        }
        TreeMap<String, PfState> pfs = new TreeMap<>();
        for (PfRow row : pfRows) {
            // A PF that the command does not name is decided on without its VFs: no rule reads them.
            pfs.put(row.pf(), new PfState(row.pf(), row.emulation(), row.vfCount(), row.msixTotal(), row.vfMin(),
                    row.vfMax(), row.msixFree(), row.open(), row.dynamicMsix(), row.numVfs(),
                    vfs.getOrDefault(row.pf(), List.of())));
        }
        return new DeviceState(pfs.isEmpty() ? null : device, pfs);
    }

    /** The retry memory for one id, in the engine's own type, so that both apply one definition of a retry. */
    private static RecentCommands remembered(Connection connection, String device, String id) throws SQLException {
        RecentCommands memory = new RecentCommands();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT digest FROM crud_command WHERE device = ? AND command_id = ?")) {
            select.setString(1, device);
            select.setString(2, id);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    memory.remember(id, rows.getString(1));
                }
            }
        }
        return memory;
    }

    /** Writes the PF and VF rows that differ between {@code before} and {@code after}. */
    private static void write(Connection connection, String device, DeviceState before, DeviceState after)
            throws SQLException {
        for (PfState pf : after.pfs().values()) {
            PfState old = before.pfs().get(pf.pf());
            if (pf.equals(old)) {
                continue;
            }
            try (PreparedStatement upsert = connection.prepareStatement(old == null
                    ? "INSERT INTO crud_pf (msix_free, is_open, dynamic_msix, num_vfs, emulation, vf_count, msix_total, "
                    + "vf_min, vf_max, device, pf) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    : "UPDATE crud_pf SET msix_free = ?, is_open = ?, dynamic_msix = ?, num_vfs = ? "
                    + "WHERE device = ? AND pf = ?")) {
                int i = 1;
                upsert.setInt(i++, pf.msixFree());
                upsert.setBoolean(i++, pf.open());
                upsert.setBoolean(i++, pf.dynamicMsix());
                upsert.setInt(i++, pf.numVfs());
                if (old == null) {
                    upsert.setString(i++, pf.emulation().name());
                    upsert.setInt(i++, pf.vfCount());
                    upsert.setInt(i++, pf.msixTotal());
                    upsert.setInt(i++, pf.vfMinMsix());
                    upsert.setInt(i++, pf.vfMaxMsix());
                }
                upsert.setString(i++, device);
                upsert.setString(i, pf.pf());
                upsert.executeUpdate();
            }
            writeVfs(connection, device, pf, old == null ? List.of() : old.vfs());
        }
    }

    private static void writeVfs(Connection connection, String device, PfState pf, List<VfState> old)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO crud_vf (msix, is_open, device, pf, vf) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE crud_vf SET msix = ?, is_open = ? WHERE device = ? AND pf = ? AND vf = ?")) {
            boolean inserts = false;
            boolean updates = false;
            for (VfState vf : pf.vfs()) {
                VfState was = vf.vf() < old.size() ? old.get(vf.vf()) : null;
                if (Objects.equals(vf, was)) {
                    continue;
                }
                PreparedStatement statement = was == null ? insert : update;
                statement.setInt(1, vf.msix());
                statement.setBoolean(2, vf.open());
                statement.setString(3, device);
                statement.setString(4, pf.pf());
                statement.setInt(5, vf.vf());
                statement.addBatch();
                inserts |= was == null;
                updates |= was != null;
            }
            if (inserts) {
                insert.executeBatch();
            }
            if (updates) {
                update.executeBatch();
            }
        }
    }
}
