package io.msixpool.projections;

import static io.msixpool.fixtures.Fixed.DEVICE;
import static io.msixpool.fixtures.Fixed.NVME0;
import static io.msixpool.fixtures.Fixed.OTHER_DEVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.domain.Device;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.command.AssignVectors;
import io.msixpool.domain.command.OpenPf;
import io.msixpool.domain.command.ProvisionPf;
import io.msixpool.domain.command.Reclaim;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Watchers: the current view first, then one new view per command that changed their device, each with its sequence. */
class PoolWatchTest {
    private Configuration axon;

    @BeforeEach
    void start() {
        axon = DefaultConfigurer.defaultConfiguration()
                .configureAggregate(Device.class)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .registerComponent(DeviceStates.class, c -> new DeviceStates(c.eventStore()))
                .registerComponent(PoolProjection.class,
                        c -> new PoolProjection(c.getComponent(DeviceStates.class), c.queryUpdateEmitter()))
                .registerQueryHandler(c -> c.getComponent(PoolProjection.class))
                .eventProcessing(p -> p.usingSubscribingEventProcessors()
                        .registerEventHandler(c -> c.getComponent(PoolProjection.class)))
                .buildConfiguration();
        axon.start();
        axon.commandGateway().sendAndWait(new ProvisionPf(DEVICE, NVME0, Emulation.NVME, 4, 64, 2, 32));
        axon.commandGateway().sendAndWait(new ProvisionPf(OTHER_DEVICE, NVME0, Emulation.NVME, 4, 64, 2, 32));
        axon.commandGateway().sendAndWait(new OpenPf(DEVICE, NVME0));
    }

    @AfterEach
    void stop() {
        axon.shutdown();
    }

    @Test
    void aWatcherSeesTheCurrentPoolThenEachChangeOfItsDeviceOnly() {
        SubscriptionQueryResult<Optional<PoolAt>, PoolAt> watch = axon.queryGateway().subscriptionQuery(
                new PoolWatch(DEVICE), ResponseTypes.optionalInstanceOf(PoolAt.class),
                ResponseTypes.instanceOf(PoolAt.class));
        PoolAt initial = watch.initialResult().block(Duration.ofSeconds(5)).orElseThrow();
        assertEquals(0, initial.view().pfs().get(0).msixFree());
        assertEquals(2, initial.sequence(), "PfProvisioned, DefaultDistributionApplied and PfOpened: sequences 0 to 2");

        axon.commandGateway().sendAndWait(new Reclaim(DEVICE, NVME0));
        axon.commandGateway().sendAndWait(new OpenPf(OTHER_DEVICE, NVME0));
        axon.commandGateway().sendAndWait(new AssignVectors(DEVICE, NVME0, 1, 10));

        List<PoolAt> updates = watch.updates().take(2).collectList().block(Duration.ofSeconds(5));
        assertEquals(64, updates.get(0).view().pfs().get(0).msixFree(), "after the reclaim");
        assertEquals(54, updates.get(1).view().pfs().get(0).msixFree(), "after the assignment, one view for two events");
        assertTrue(updates.get(1).view().pfs().get(0).vfs().get(1).open());
        assertEquals(List.of(3L, 5L), updates.stream().map(PoolAt::sequence).toList(),
                "the reclaim's one event, then the assignment's two");
        watch.close();
    }

    @Test
    void anUnknownDeviceHasNoView() {
        assertEquals(Optional.empty(), axon.queryGateway()
                .query(new PoolQuery("nope"), ResponseTypes.optionalInstanceOf(PoolView.class)).join());
    }
}
