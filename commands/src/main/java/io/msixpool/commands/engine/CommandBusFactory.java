package io.msixpool.commands.engine;

import io.msixpool.domain.Rejection;
import io.msixpool.domain.RejectionCode;
import java.util.EnumSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

/**
 * Axon's default command bus, except that a rule's rejection does not roll the unit of work back.
 * The rules decide every event before applying any, so a rejection leaves nothing to undo; rolling
 * back would only make Axon evict the device from its cache and reload it for the next command.
 * Any other failure (a store error, a broken invariant) still rolls back, and so do the two codes
 * that can refuse a command on a device that does not exist yet: Axon must not save that empty,
 * id-less aggregate, and there is nothing cached to lose.
 */
final class CommandBusFactory {
    private static final Set<RejectionCode> MAY_MEET_A_NEW_DEVICE =
            EnumSet.of(RejectionCode.UNKNOWN_DEVICE, RejectionCode.INVALID_PF_CONFIG);

    static final RollbackConfiguration ROLLBACK_UNLESS_REJECTED = failure -> {
        if (failure instanceof Rejection rejection) {
            return MAY_MEET_A_NEW_DEVICE.contains(rejection.code());
        }
        return RollbackConfigurationType.UNCHECKED_EXCEPTIONS.rollBackOn(failure);
    };

    private CommandBusFactory() {
    }

    static CommandBus create(Configuration config) {
        SimpleCommandBus bus = SimpleCommandBus.builder()
                .transactionManager(config.getComponent(TransactionManager.class))
                .rollbackConfiguration(ROLLBACK_UNLESS_REJECTED)
                .messageMonitor(config.messageMonitor(SimpleCommandBus.class, "commandBus"))
                .build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(config.correlationDataProviders()));
        return bus;
    }
}
