package io.msixpool.commands.engine;

import io.msixpool.projections.PoolAt;
import io.msixpool.projections.PoolView;
import io.msixpool.projections.PoolWatch;
import java.util.Optional;
import java.util.function.Consumer;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

/** Response types of the pool queries, named once. */
final class PoolQueries {
    static final ResponseType<Optional<PoolView>> POOL_VIEW = ResponseTypes.optionalInstanceOf(PoolView.class);
    static final ResponseType<Optional<PoolAt>> POOL_AT = ResponseTypes.optionalInstanceOf(PoolAt.class);
    static final ResponseType<PoolAt> POOL_AT_UPDATE = ResponseTypes.instanceOf(PoolAt.class);

    private PoolQueries() {
    }

    /** {@link Engine#followPool}: a subscription query on the device's {@link PoolWatch}, until the returned stop is run. */
    static Runnable follow(QueryGateway queries, String device, Consumer<PoolAt> changes) {
        // Axon keeps a subscription's last updates for a late subscriber, 256 by default: 256 whole views
        // of the device. Each being a whole view, the newest is all anyone needs.
        SubscriptionQueryResult<Optional<PoolAt>, PoolAt> subscription = queries.subscriptionQuery(
                PoolWatch.class.getName(), new PoolWatch(device), POOL_AT, POOL_AT_UPDATE, 1);
        var following = subscription.updates().subscribe(changes); // Axon's subscriptions are Reactor's
        return () -> {
            following.dispose();
            subscription.close();
        };
    }
}
