// Public face of the analytics domain: first-party events without a person in them, their daily rollups, and what the dashboard reads.
export { BEACON_KINDS, EVENT_KINDS, eventRow, isEventKind, type AnalyticsEvent, type BeaconKind, type EventKind } from './events.ts';
export { createEventRecorder, BATCH_SIZE, BUFFER_LIMIT, FLUSH_EVERY_MS, type EventRecorder, type EventRecorderOptions } from './event-recorder.ts';
export { attributionOf, ATTRIBUTION_STORAGE_KEY, ATTRIBUTION_WINDOW_MS, type Attribution, type AttributionEntry } from './attribution.ts';
export {
  rollUpDay, runAnalyticsRollup, daysToFinalize, pruneRawEvents, queuePartialRollup, addDays,
  ROLLUP_JOB_KIND, ROLLUP_HOUR_BERLIN, PARTIAL_ROLLUP_EVERY_MS, DEFAULT_RETENTION_DAYS, type RollupReport,
} from './rollup.service.ts';
export { createEventFacts, checkedAttribution, paywallArticleOfPath, FACTS_TTL_MS, type EventFacts, type ArticleAccess } from './event-facts.ts';
