import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Config } from '../../../src/server/config.js';
import { Keyspace } from '../../../src/server/keyspace.js';
import type { Logger } from '../../../src/server/log.js';
import type { SaveOutcome } from '../../../src/server/persistence/background-save.js';
import { MISCONF, RdbSaves } from '../../../src/server/persistence/rdb-saves.js';

// The background save itself is replaced: these tests are about when one starts.
const jobs: Array<{ onDone: (o: SaveOutcome) => void; aborted: boolean }> = [];
vi.mock('../../../src/server/persistence/background-save.js', () => ({
  BackgroundSave: class {
    startPauseUsec = 100;
    startedAt = Date.now();
    aborted = false;
    constructor(_ks: unknown, _dir: string, _name: string, _enc: unknown, _strategy: unknown, readonly onDone: (o: SaveOutcome) => void) {
      jobs.push(this);
    }
    abort() {
      this.aborted = true;
    }
  },
}));

const outcome = (ok: boolean): SaveOutcome => ({ ok, error: ok ? null : 'No space left on device', bytes: 10, keys: 1, cowBytes: 0, durationMs: 5, maxStallUsec: 0 });
const T0 = 1_700_000_000_000; // a whole second

let ks: Keyspace;
let config: Config;
let notices: string[];
function saves(save = '1 1000') {
  config = new Config();
  config.set('save', save);
  ks = new Keyspace();
  const log = { notice: (m: string) => notices.push(m), warning: () => {} } as unknown as Logger;
  return new RdbSaves({ ks, config, log, rdbEncoder: () => ({ entry: () => {}, stored: () => {}, finish: () => {} }), strategy: () => 'cow', onSnapshotStart: () => {} });
}
const at = (ms: number) => vi.setSystemTime(T0 + ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  at(0);
  jobs.length = 0;
  notices = [];
});
afterEach(() => vi.useRealTimers());

describe('RdbSaves save points', () => {
  it('save 1 1000: needs 1000 changes and more than 1 whole second since the last save', () => {
    const r = saves();
    ks.dirty = 1000;
    at(1999); // 1 whole second: not more than 1
    r.cron(false);
    expect(jobs).toHaveLength(0);
    ks.dirty = 999;
    at(2000); // 2 seconds, but too few changes
    r.cron(false);
    expect(jobs).toHaveLength(0);
    ks.dirty = 1000;
    r.cron(false);
    expect(jobs).toHaveLength(1);
    expect(r.inProgress).toBe(true);
    expect(notices).toContain('1000 changes in 1 seconds. Saving...');
  });

  it('counts whole seconds of the clock, as server.unixtime - server.lastsave', () => {
    at(999); // the last save is stamped second T0
    const r = saves();
    ks.dirty = 5000;
    at(2001); // 1.002 s after construction, but the clock's second moved by 2
    r.cron(false);
    expect(jobs).toHaveLength(1);
  });

  it('any of several save points fires', () => {
    const r = saves('3600 1 1 1000000');
    ks.dirty = 1;
    at(5000);
    r.cron(false);
    expect(jobs).toHaveLength(0);
    at(3601_000);
    r.cron(false);
    expect(jobs).toHaveLength(1);
  });

  it('no save points, or another snapshot running: nothing starts', () => {
    const none = saves('');
    ks.dirty = 1e9;
    at(100_000);
    none.cron(false);
    expect(jobs).toHaveLength(0);
    const busy = saves();
    ks.dirty = 1e9;
    busy.cron(true);
    expect(jobs).toHaveLength(0);
  });

  it('after a success: changes made during the save remain, the clock restarts', () => {
    const r = saves();
    ks.dirty = 1000;
    at(2000);
    r.cron(false);
    ks.dirty += 7; // writes while the save runs
    at(2500);
    jobs[0]!.onDone(outcome(true));
    expect(ks.dirty).toBe(7);
    expect(r.lastSaveSec).toBe((T0 + 2000) / 1000);
    expect(r.writeRefusal()).toBeNull();
    ks.dirty = 1000;
    at(3999);
    r.cron(false);
    expect(jobs).toHaveLength(1); // 1 s since the save: not yet
    at(4000);
    r.cron(false);
    expect(jobs).toHaveLength(2);
  });

  it('after a failure: MISCONF, and no retry until more than 5 s after the last try', () => {
    const r = saves();
    ks.dirty = 1000;
    at(2000);
    r.cron(false);
    at(2100);
    jobs[0]!.onDone(outcome(false));
    expect(r.writeRefusal()).toBe(MISCONF);
    expect(r.info(ks.dirty)).toMatchObject({ rdb_last_bgsave_status: 'err', rdb_changes_since_last_save: 1000 });
    at(7999); // 5 whole seconds after the try at second 2
    r.cron(false);
    expect(jobs).toHaveLength(1);
    at(8000);
    r.cron(false);
    expect(jobs).toHaveLength(2);
    jobs[1]!.onDone(outcome(true));
    expect(r.writeRefusal()).toBeNull();
  });

  it('MISCONF only with save points and stop-writes-on-bgsave-error yes', () => {
    const r = saves();
    r.bgsave(false, false);
    jobs[0]!.onDone(outcome(false));
    expect(r.writeRefusal()).toBe(MISCONF);
    config.set('stop-writes-on-bgsave-error', 'no');
    expect(r.writeRefusal()).toBeNull();
    config.set('stop-writes-on-bgsave-error', 'yes');
    config.set('save', '');
    r.savePointsChanged();
    expect(r.writeRefusal()).toBeNull();
  });

  it('BGSAVE SCHEDULE waits for the other snapshot, then the next cron starts it', () => {
    const r = saves('');
    expect(r.bgsave(false, true)).toMatch(/^-ERR Another child process is active/);
    expect(r.bgsave(true, true)).toBe('+Background saving scheduled\r\n');
    r.cron(true);
    expect(jobs).toHaveLength(0);
    r.cron(false);
    expect(jobs).toHaveLength(1);
    expect(r.bgsave(false, false)).toBe('-ERR Background save already in progress\r\n');
  });
});
