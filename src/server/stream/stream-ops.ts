import { ENTRIES_READ_INVALID, type ConsumerGroup } from './consumer-group.js';
import { MAX_ID } from './stream-id.js';
import type { Stream } from './stream.js';

/**
 * The consumer-group bookkeeping of t_stream.c that needs the whole stream: whether a range
 * holds tombstones, a group's read counter estimated from an ID, and its lag.
 */

/** streamRangeHasTombstones. */
export function rangeHasTombstones(s: Stream, start: bigint, end: bigint = MAX_ID): boolean {
  if (s.length === 0 || s.maxDeletedId === 0n) return false;
  if (s.firstId > s.maxDeletedId) return false;
  return start <= s.maxDeletedId && s.maxDeletedId <= end;
}

/** streamEstimateDistanceFromFirstEverEntry: -1 when it cannot be known. */
export function estimateEntriesRead(s: Stream, id: bigint): number {
  if (s.entriesAdded === 0) return 0;
  if (s.length === 0 && id <= s.lastId) return s.entriesAdded;
  if (id === s.lastId) return s.entriesAdded;
  if (id > s.lastId) return ENTRIES_READ_INVALID;
  if (s.maxDeletedId === 0n || s.maxDeletedId < s.firstId) {
    if (id < s.firstId) return s.entriesAdded - s.length;
    if (id === s.firstId) return s.entriesAdded - s.length + 1;
  }
  return ENTRIES_READ_INVALID;
}

/** streamReplyWithCGLag's value: null when it cannot be known. */
export function groupLag(s: Stream, g: ConsumerGroup): number | null {
  if (s.entriesAdded === 0) return 0;
  if (g.entriesRead !== ENTRIES_READ_INVALID && !rangeHasTombstones(s, g.lastId)) return s.entriesAdded - g.entriesRead;
  const read = estimateEntriesRead(s, g.lastId);
  return read !== ENTRIES_READ_INVALID ? s.entriesAdded - read : null;
}

/** streamReplyWithRange's group bookkeeping for one delivered entry: advance last ID and counter. */
export function advanceGroup(s: Stream, g: ConsumerGroup, id: bigint): boolean {
  if (id <= g.lastId) return false;
  if (g.entriesRead !== ENTRIES_READ_INVALID && !rangeHasTombstones(s, id)) g.entriesRead++;
  else if (s.entriesAdded) g.entriesRead = estimateEntriesRead(s, id);
  g.lastId = id;
  return true;
}
