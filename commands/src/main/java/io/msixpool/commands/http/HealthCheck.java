package io.msixpool.commands.http;

import io.msixpool.commands.engine.Engine;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /healthz}: whether the store answers a query now, said within {@link #DEADLINE}
 * whatever the store does (a load balancer's probe must not hang through an outage), and at most one
 * probe of the store at a time however many ask: probes asked while one runs share its answer, and
 * a healthy answer is reused for {@link #REUSE}.
 */
final class HealthCheck implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofMillis(1500);
    static final Duration REUSE = Duration.ofMillis(200);

    /** Its own thread: a queue of store reads on the workers must not delay the answer. */
    private final Scheduler prober = Schedulers.newSingle("msix-health", true);
    private final Mono<Boolean> shared;

    HealthCheck(Engine engine) {
        this.shared = Mono.fromCallable(engine::storeAnswers)
                .subscribeOn(prober)
                .cache(healthy -> healthy ? REUSE : Duration.ZERO, failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** True when the store answered within the deadline. */
    Mono<Boolean> storeAnswers() {
        return shared.timeout(DEADLINE, Mono.just(false)).onErrorReturn(false);
    }

    @Override
    public void close() {
        prober.dispose();
    }
}
