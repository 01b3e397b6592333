package io.msixpool.commands.engine;

import io.msixpool.projections.PoolView;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

/** Response types of the pool query, named once. */
final class PoolQueries {
    static final ResponseType<Optional<PoolView>> POOL_VIEW = ResponseTypes.optionalInstanceOf(PoolView.class);

    private PoolQueries() {
    }
}
