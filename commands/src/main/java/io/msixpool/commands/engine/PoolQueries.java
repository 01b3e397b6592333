package io.msixpool.commands.engine;

import io.msixpool.projections.PoolAt;
import io.msixpool.projections.PoolView;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

/** Response types of the pool queries, named once. */
final class PoolQueries {
    static final ResponseType<Optional<PoolView>> POOL_VIEW = ResponseTypes.optionalInstanceOf(PoolView.class);
    static final ResponseType<Optional<PoolAt>> POOL_AT = ResponseTypes.optionalInstanceOf(PoolAt.class);
    static final ResponseType<PoolAt> POOL_AT_UPDATE = ResponseTypes.instanceOf(PoolAt.class);

    private PoolQueries() {
    }
}
