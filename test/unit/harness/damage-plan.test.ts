import { describe, expect, it } from 'vitest';
import {
  applyFlips,
  commandsCut,
  newestAof,
  planAofFlips,
  planRdbFlips,
  scanResp,
  TEAR_MAX_BYTES,
  tearOffset,
} from '../../../src/harness/faults/damage-plan.js';
import { planPause, PAUSE_MAX_MS, PAUSE_MIN_MS, SETTLE_MS } from '../../../src/harness/faults/pause-fault.js';
import { KILL_DELAY_MAX_MS, planKillDelay } from '../../../src/harness/faults/load-fault.js';
import { faults } from '../../../src/harness/faults/index.js';
import { Rng } from '../../../src/shared/prng.js';
import { validateScenario } from '../../../src/scenario/index.js';

const cmd = (...argv: string[]): string => `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
const AOF = Buffer.from(cmd('SELECT', '0') + cmd('SET', 'u:1', 'x'.repeat(40)) + cmd('SET', 'u:2', 'y'.repeat(40)) + cmd('SET', 'u:3', 'z'.repeat(40)), 'latin1');

describe('newestAof', () => {
  const files = [
    { name: 'appendonly.aof.1.base.rdb', mtimeMs: 1 },
    { name: 'appendonly.aof.2.incr.aof', mtimeMs: 5 },
    { name: 'appendonly.aof.3.incr.aof', mtimeMs: 3 },
    { name: 'appendonly.aof.manifest', mtimeMs: 9 },
  ];
  it('is the incr file the manifest names last, whatever the mtimes', () => {
    const m = 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n';
    expect(newestAof(m, files)).toBe('appendonly.aof.3.incr.aof');
    const swapped = 'file appendonly.aof.3.incr.aof seq 3 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n';
    expect(newestAof(swapped, files)).toBe('appendonly.aof.2.incr.aof');
  });
  it('falls back to the newest *.aof file without a manifest, or when it names no incr file on disk', () => {
    expect(newestAof(null, files)).toBe('appendonly.aof.2.incr.aof');
    expect(newestAof('file appendonly.aof.1.base.rdb seq 1 type b\n', files)).toBe('appendonly.aof.2.incr.aof');
    expect(newestAof('file gone.aof seq 9 type i\n', files)).toBe('appendonly.aof.2.incr.aof');
    expect(newestAof(null, [{ name: 'appendonly.aof.1.base.rdb', mtimeMs: 1 }])).toBeNull();
  });
});

describe('tearOffset', () => {
  it('cuts 1..TEAR_MAX_BYTES bytes, the same for the same seed', () => {
    for (let seed = 1; seed < 200; seed++) {
      const at = tearOffset(100_000, new Rng(seed));
      expect(at).toBe(tearOffset(100_000, new Rng(seed)));
      expect(100_000 - at).toBeGreaterThanOrEqual(1);
      expect(100_000 - at).toBeLessThanOrEqual(TEAR_MAX_BYTES);
    }
    const small = tearOffset(10, new Rng(3));
    expect(small).toBeGreaterThanOrEqual(0);
    expect(small).toBeLessThan(10);
    expect(new Set(Array.from({ length: 50 }, (_, s) => tearOffset(100_000, new Rng(s)))).size).toBeGreaterThan(40);
  });
});

describe('scanResp / commandsCut', () => {
  const scan = scanResp(AOF);
  it('classifies every byte of the commands as framing or payload', () => {
    expect(scan.valid).toBe(AOF.length);
    expect(scan.commandEnds.length).toBe(4);
    const covered = scan.spans.reduce((n, s) => n + s.to - s.from, 0);
    expect(covered).toBe(AOF.length);
    const key = scan.spans.find((s) => s.where === 'key' && AOF.latin1Slice(s.from, s.to) === 'u:2')!;
    expect(key.kind).toBe('payload');
    expect(AOF.latin1Slice(scan.spans[0]!.from, scan.spans[0]!.to)).toBe('*2\r\n');
  });
  it('stops at a torn command', () => {
    const torn = scanResp(AOF.subarray(0, AOF.length - 5));
    expect(torn.commandEnds.length).toBe(3);
    expect(torn.valid).toBe(scan.commandEnds[2]);
  });
  it('counts the commands a cut removes whole or in part', () => {
    expect(commandsCut(scan, AOF.length)).toBe(0);
    expect(commandsCut(scan, AOF.length - 1)).toBe(1);
    expect(commandsCut(scan, scan.commandEnds[2]!)).toBe(1);
    expect(commandsCut(scan, scan.commandEnds[2]! - 1)).toBe(2);
    expect(commandsCut(scan, 0)).toBe(4);
  });
});

describe('planAofFlips', () => {
  const scan = scanResp(AOF);
  it('is reproducible from the seed, flips 1-4 bytes of one kind inside the middle of the range', () => {
    const kinds = new Set<string>();
    for (let seed = 1; seed < 100; seed++) {
      const p = planAofFlips(scan, 0, AOF.length, new Rng(seed))!;
      expect(planAofFlips(scan, 0, AOF.length, new Rng(seed))).toEqual(p);
      kinds.add(p.kind);
      expect(p.offsets.length).toBeGreaterThanOrEqual(1);
      expect(p.offsets.length).toBeLessThanOrEqual(4);
      for (const o of p.offsets) {
        expect(o).toBeGreaterThanOrEqual(Math.floor(AOF.length / 4));
        expect(o).toBeLessThan(Math.ceil((3 * AOF.length) / 4));
        const span = scan.spans.find((s) => o >= s.from && o < s.to)!;
        expect(span.kind).toBe(p.kind);
      }
      for (const m of p.masks) expect(m === 0 || m === 0x20 || m > 255).toBe(false);
      const out = applyFlips(AOF, p);
      for (const o of p.offsets) expect(out[o]).not.toBe(AOF[o]);
      expect(out.length).toBe(AOF.length);
    }
    expect(kinds).toEqual(new Set(['framing', 'payload']));
  });
  it('stays in the range it is given (the write phase), and gives up on an empty one', () => {
    const from = scan.commandEnds[2]!;
    const p = planAofFlips(scan, from, AOF.length, new Rng(5))!;
    for (const o of p.offsets) expect(o).toBeGreaterThanOrEqual(from);
    expect(planAofFlips(scan, AOF.length, AOF.length, new Rng(5))).toBeNull();
  });
});

describe('planRdbFlips', () => {
  // a fake RDB: header, records of <type 0><keylen><key><vallen 'd'=100><100 value chars>, EOF + CRC
  const rec = (i: number): Buffer =>
    Buffer.concat([Buffer.from([0, 7]), Buffer.from(`u:${String(i).padStart(5, '0')}`), Buffer.from([100]), Buffer.from(`${i}:`.padEnd(100, 'Q'))]);
  const rdb = Buffer.concat([Buffer.from('REDIS0010'), ...Array.from({ length: 50 }, (_, i) => rec(i)), Buffer.from([0xff, 1, 2, 3, 4, 5, 6, 7, 8])]);
  it('flips bytes inside one stored value, clear of its key and length, the same for the same seed', () => {
    for (let seed = 1; seed < 100; seed++) {
      const p = planRdbFlips(rdb, new Rng(seed))!;
      expect(planRdbFlips(rdb, new Rng(seed))).toEqual(p);
      expect(p.kind).toBe('rdb');
      expect(p.where).toBe('value');
      for (const o of p.offsets) {
        const inRec = (o - 9) % 110;
        expect(inRec).toBeGreaterThanOrEqual(10 + 6); // past type, keylen, key, vallen and the op head
      }
    }
  });
  it('falls back to the seeded spot when no value run is there', () => {
    const bin = Buffer.alloc(1000, 0x01);
    const p = planRdbFlips(bin, new Rng(1))!;
    expect(p.where).toBe('any byte');
    expect(p.offsets[0]).toBeGreaterThanOrEqual(250);
    expect(planRdbFlips(Buffer.alloc(10), new Rng(1))).toBeNull();
  });
});

describe('pause and load plans', () => {
  const scenario = validateScenario({ name: 't', killWindowMs: [1800, 2400], durationMs: 2500 }, 'test');
  it('a pause of 300-1500 ms ends SETTLE_MS before the kill, reproducibly', () => {
    for (let seed = 1; seed < 200; seed++) {
      const p = planPause(new Rng(seed), scenario);
      expect(planPause(new Rng(seed), scenario)).toEqual(p);
      const { pauseAtMs, pauseMs } = p.params!;
      expect(pauseMs).toBeGreaterThanOrEqual(PAUSE_MIN_MS);
      expect(pauseMs).toBeLessThanOrEqual(PAUSE_MAX_MS);
      expect(pauseAtMs).toBeGreaterThan(0);
      expect(pauseAtMs! + pauseMs! + SETTLE_MS).toBeLessThanOrEqual(p.atMs);
    }
    const early = planPause(new Rng(1), validateScenario({ name: 't', killWindowMs: [400, 500], durationMs: 600 }, 'test'));
    expect(early.params!.pauseAtMs! + early.params!.pauseMs! + SETTLE_MS).toBeLessThanOrEqual(early.atMs);
  });
  it('the kill into a load waits 0..KILL_DELAY_MAX_MS after the first -LOADING', () => {
    for (let seed = 1; seed < 50; seed++) {
      const d = planKillDelay(new Rng(seed));
      expect(d).toBe(planKillDelay(new Rng(seed)));
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(KILL_DELAY_MAX_MS);
    }
  });
  it('refusing is correct for damaged files only', () => {
    expect(faults['torn-tail'].refusalIsCorrect('rdb')).toBe(true);
    expect(faults['torn-tail'].refusalIsCorrect('aof-everysec')).toBe(false);
    expect(faults['torn-tail'].refusalIsCorrect('none')).toBe(false);
    expect(faults.corrupt.refusalIsCorrect('rdb+aof')).toBe(true);
    expect(faults.corrupt.refusalIsCorrect('none')).toBe(false);
    expect('refusalIsCorrect' in faults.pause).toBe(false);
  });
});
