// Public face of the analytics domain: first-party events without a person in them, their daily rollups, and what the dashboard reads.
export { BEACON_KINDS, EVENT_KINDS, eventRow, isEventKind, type AnalyticsEvent, type BeaconKind, type EventKind } from './events.ts';
export {
  VARIANT_KEYS, MIN_VARIANTS, MAX_VARIANTS, NAME_MAX, HEADLINE_MAX, BODY_MAX, parseExperimentInput, variantField,
  type Experiment, type ExperimentInput, type ExperimentState, type ExperimentVariant, type VariantInput, type VariantKey,
} from './experiment.ts';
export { createExperiment, experimentVariantExists, findExperiment, listExperiments, runningExperiment, startExperiment, stopExperiment } from './experiment.queries.ts';
export { experimentResults, formatP, formatPValue, formatRate, formatZ, resultsOf, variantCounts, type ExperimentResults, type VariantCounts, type VariantResult } from './experiment-results.ts';
export { ALPHA, MIN_EXPECTED, MIN_IMPRESSIONS, compareWithControl, enoughData, normalCdf, twoProportionZTest, type Comparison, type Proportion, type ZTest } from './significance.ts';
export { FUNNEL_STEPS, changeOf, funnelOf, rate, emptyFunnelCounts, type Change, type Funnel, type FunnelCounts, type FunnelKind, type FunnelStep } from './funnel.ts';
export {
  ARTICLE_SORT_KEYS, articleInsights, authorInsights, dailyCounts, insightFilters, institutionUsage, sectionInsights, topArticlesByOrders, totalsIn,
  type ArticleInsight, type ArticleQuery, type ArticleSortKey, type DayCount, type DaySpan, type FilterChoice, type GroupInsight, type InstitutionUse, type ReachCounts, type SortDirection,
} from './insights.queries.ts';
export { createEventRecorder, BATCH_SIZE, BUFFER_LIMIT, FLUSH_EVERY_MS, type EventRecorder, type EventRecorderOptions } from './event-recorder.ts';
export { attributionOf, ATTRIBUTION_STORAGE_KEY, ATTRIBUTION_WINDOW_MS, type Attribution, type AttributionEntry } from './attribution.ts';
export {
  rollUpDay, runAnalyticsRollup, daysToFinalize, pruneRawEvents, queuePartialRollup, addDays,
  ROLLUP_JOB_KIND, ROLLUP_HOUR_BERLIN, PARTIAL_ROLLUP_EVERY_MS, DEFAULT_RETENTION_DAYS, type RollupReport,
} from './rollup.service.ts';
export { rebuildSummaries, monthPlan, type MonthPlan } from './summaries.ts';
export { createEventFacts, checkedAttribution, paywallArticleOfPath, FACTS_TTL_MS, type EventFacts, type ArticleAccess } from './event-facts.ts';
