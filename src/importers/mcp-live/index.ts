/**
 * Live MCP inspection, the pure half: which servers a configuration would start (targets.ts), the
 * lock file with its hashes and comparison (lock.ts), and listings → the imported model (apply.ts).
 * The process and network half (spawning, connecting, timeouts, killing) is src/io/mcp-live.ts,
 * used only behind `maestro-tm import mcp --live`.
 */
export { liveTargets, type LiveTarget, type LiveTransport } from './targets.js';
export {
  buildServerLock,
  canonicalJson,
  compareLocks,
  listingHash,
  LISTING_LIMITS,
  LOCKFILE_VERSION,
  parseLockFile,
  renderLockFile,
  sha256,
  type Change,
  type ListingLimits,
  type LockFile,
  type LockedItem,
  type RawListing,
  type ServerLock,
} from './lock.js';
export { applyListings, CHANGED_TAG, CHANGED_TOOL_PREFIX, toolText, type AppliedListing } from './apply.js';
