// Prometheus metrics (prom-client): the registry, the collectors, and the cluster primary's aggregation. The only file other modules import.

/**
 * Called once in the cluster primary of `klartext serve --workers N`: lets a worker's /metrics answer for all
 * workers (prom-client's AggregatorRegistry over cluster IPC). A no-op until the metrics module fills it in.
 */
export function installPrimaryMetrics(): void {
  // filled in by the metrics work of issue 11
}
