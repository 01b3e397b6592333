package io.msixpool.commands.engine;

import io.msixpool.domain.Rejection;
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
 * Any other failure (a store error, a broken invariant) still rolls back, and so does a rejection
 * on a device that does not exist yet: Axon must not save that empty, id-less aggregate, and there
 * is nothing cached to lose.
 */
final class CommandBusFactory {
    static final RollbackConfiguration ROLLBACK_UNLESS_REJECTED = failure -> {
        if (failure instanceof Rejection rejection) {
            return rejection.deviceIsNew();
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
