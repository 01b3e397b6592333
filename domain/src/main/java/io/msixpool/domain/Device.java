package io.msixpool.domain;

import static org.axonframework.modelling.command.AggregateCreationPolicy.CREATE_IF_MISSING;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.msixpool.domain.command.ArmReset;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.ClosePf;
import io.msixpool.domain.command.CloseVf;
import io.msixpool.domain.command.DeviceCommand;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.OpenVf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import io.msixpool.domain.command.ReleaseVectors;
import io.msixpool.domain.command.SetNumVfs;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.state.DeviceState;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * One emulation device (a DPU) with all its PFs and VFs: the consistency boundary of every rule.
 *
 * <p>Every handler may meet a device that does not exist yet: CREATE_IF_MISSING lets the rules
 * answer UNKNOWN_DEVICE themselves (only ProvisionPf can create one) instead of Axon's
 * AggregateNotFoundException, so the code comes from the same checklist as every other rule.
 *
 * <p>The one place of the domain that speaks Axon beyond annotations: it applies the events a
 * {@link Decision} accepts and throws a {@link Rejection} for a refusal. The rules, the state and
 * the retry memory are plain Java, so moving to another Axon is a change here and in the wiring.
 *
 * <p>Snapshots are this object in JSON: its three fields, nothing derived.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Device {
    /** Event metadata keys: the retry memory is rebuilt from these on replay. */
    public static final String COMMAND_ID = "commandId";
    public static final String COMMAND_DIGEST = "commandDigest";

    /**
     * When Axon rolls a command's unit of work back. A refusal of a device that exists leaves nothing
     * to undo (the rules decide every event before any is applied), so its unit of work commits and
     * Axon keeps the device in its cache; rolling back would only make Axon evict the device and
     * reload it for the next command. A refusal on a device that does not exist yet rolls back: Axon
     * must not save the empty, id-less aggregate it created for the command (CREATE_IF_MISSING), and
     * there is nothing cached to lose. Any other failure (a store error, a broken invariant) rolls back.
     */
    public static final RollbackConfiguration ROLLBACK = failure -> failure instanceof Rejection rejection
            ? rejection.undoesUnitOfWork
            : RollbackConfigurationType.UNCHECKED_EXCEPTIONS.rollBackOn(failure);

    @AggregateIdentifier
    private String device;
    private DeviceState state = DeviceState.EMPTY;
    private RecentCommands recentCommands = new RecentCommands();

    protected Device() {
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(ProvisionPf command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(OpenPf command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(ClosePf command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(SetNumVfs command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(Reclaim command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(AssignVectors command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(OpenVf command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(ReleaseVectors command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(CloseVf command) {
        return decide(command);
    }

    @CommandHandler
    @CreationPolicy(CREATE_IF_MISSING)
    Decision handle(ArmReset command) {
        return decide(command);
    }

    private Decision decide(DeviceCommand command) {
        Decision decision = DeviceDecisions.decide(state, recentCommands, command);
        if (decision instanceof Decision.Refused refused) {
            // A device that does not exist yet is Axon's empty aggregate, made for this command: see ROLLBACK.
            throw new Rejection(refused, !state.known());
        }
        MetaData metaData = command.commandId() == null
                ? MetaData.emptyInstance()
                : MetaData.with(COMMAND_ID, command.commandId()).and(COMMAND_DIGEST, CommandDigest.of(command));
        decision.events().forEach(event -> AggregateLifecycle.apply(event, metaData));
        return decision;
    }

    /** The pools as this aggregate (or a snapshot of it) holds them. */
    public DeviceState state() {
        return state;
    }

    /** The retry memory, copied: for a dry run's draft, which must not change this aggregate's. */
    RecentCommands recentCommandsCopy() {
        return recentCommands.copy();
    }

    @EventSourcingHandler
    void on(DeviceEvent event, MetaData metaData) {
        device = event.device();
        state = DeviceDecisions.evolve(state, event);
        DeviceDecisions.remember(recentCommands, metaData);
    }
}
