// Prometheus metrics (prom-client): the registry, the collectors, and the cluster primary's aggregation. The only file other modules import.
export {
  observeRequest, countPageCache, countFastPathHit, countUnlock, countJobFinished, countJobRequeuedByAdmin, countBeacon, countAnalyticsEvents, collectProcessMetrics, watchSources,
  METRICS_CONTENT_TYPE, type MetricSources, type JobQueueDepth,
} from './metrics.ts';
export { installPrimaryMetrics, metricsText } from './cluster-metrics.ts';
