/** Risk tracking: triage decisions keyed by stable finding id, kept beside the model (docs/tracking.md). */
export { TRACKING_FORMAT_VERSION, TRACKING_STATUSES, NEEDS_JUSTIFICATION, RESOLVED_STATUSES, KNOWN_ENTRY_FIELDS, isIsoDate, type TrackingEntry, type TrackingFile } from './schema.js';
export { wildcardMatch, compareSpecificity, createMatcher, isPattern, type EntryMatcher } from './match.js';
export { loadTrackingBytes, loadTrackingText, trackingKeyProblem, type TrackingLoadResult } from './load.js';
export { applyTracking, effectiveStatus, triageStatus, type ApplyOptions, type StaleEntry, type ExpiredEntry, type ReviewDue, type TrackingResult } from './apply.js';
