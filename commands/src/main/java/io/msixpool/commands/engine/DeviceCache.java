package io.msixpool.commands.engine;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;

/**
 * Keeps recently used Device aggregates in memory so a command does not reload its device from the
 * store. A weak-reference cache loses them at every young collection, which made each command
 * re-read a snapshot; a bounded strong cache keeps the hot devices. Axon evicts an entry when its
 * unit of work rolls back (for example when another node appended first), so it never serves a
 * state that was not committed.
 */
final class DeviceCache {
    private DeviceCache() {
    }

    static Cache create(int devices) {
        var manager = CacheManagerBuilder.newCacheManagerBuilder()
                .withCache("devices", CacheConfigurationBuilder.newCacheConfigurationBuilder(
                        Object.class, Object.class, ResourcePoolsBuilder.heap(devices)))
                .build(true);
        // The adapter takes Ehcache's core type, which every cache the manager builds is.
        return new EhCache3Adapter((Ehcache<Object, Object>) manager.getCache("devices", Object.class, Object.class));
    }
}
