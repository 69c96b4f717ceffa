/**
 * Fresh data: download, cache, refresh and compare service-tag files.
 *
 * <ul>
 * <li>{@link io.github.servicetags.update.Updater} downloads the current file of a {@link
 *     io.github.servicetags.update.Cloud} from Microsoft (discovering the weekly-changing URL), validates it and
 *     installs it atomically in the {@link io.github.servicetags.update.ServiceTagsCache cache}, with its
 *     {@link io.github.servicetags.update.Provenance}; any failure leaves the cache unchanged.</li>
 * <li>{@link io.github.servicetags.update.RefreshingServiceTags} keeps a long-running service current: background
 *     reloads, atomic swaps, the last good index on failure, never a lower changeNumber.</li>
 * <li>{@link io.github.servicetags.update.ServiceTagsDiff} tells additions (allow now) from removals (apply a week
 *     later).</li>
 * </ul>
 *
 * <pre>{@code
 * Path cache = ServiceTagsCache.defaultDirectory(System.getenv());
 * Updater.builder(cache).cloud(Cloud.PUBLIC).build().update();     // returns UpdateResult[status=INSTALLED, ...]
 * ServiceTags.load(ServiceTagsCache.current(cache, "Public").orElseThrow());
 * }</pre>
 */
package io.github.servicetags.update;
