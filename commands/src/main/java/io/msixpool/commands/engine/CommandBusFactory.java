package io.msixpool.commands.engine;

import io.msixpool.domain.Device;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;

/**
 * Axon's default command bus, except that it rolls a unit of work back as the {@link Device}
 * aggregate says ({@link Device#ROLLBACK}): a rule's refusal leaves nothing to undo, so a refused
 * command does not cost its device's place in the cache.
 */
final class CommandBusFactory {
    private CommandBusFactory() {
    }

    static CommandBus create(Configuration config) {
        SimpleCommandBus bus = SimpleCommandBus.builder()
                .transactionManager(config.getComponent(TransactionManager.class))
                .rollbackConfiguration(Device.ROLLBACK)
                .messageMonitor(config.messageMonitor(SimpleCommandBus.class, "commandBus"))
                .build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(config.correlationDataProviders()));
        return bus;
    }
}
