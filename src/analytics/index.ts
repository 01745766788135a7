// Public face of the analytics domain: first-party events without a person in them, their daily rollups, and what the dashboard reads.
export { BEACON_KINDS, EVENT_KINDS, eventRow, isEventKind, type AnalyticsEvent, type BeaconKind, type EventKind } from './events.ts';
export { createEventRecorder, type EventRecorder } from './event-recorder.ts';
