import { describe, expect, it } from 'vitest';
import { parseGate } from '../../../src/shared/gate-parse.js';
import { refText } from '../../../src/shared/gate.js';
import { ConfigError } from '../../../src/shared/errors.js';

describe('parseGate: good syntax', () => {
  it('metric[mode].agg op number', () => {
    expect(parseGate('lost[aof-always].max == 0')).toEqual({
      text: 'lost[aof-always].max == 0',
      lhs: { metric: 'lost', target: null, mode: 'aof-always', fault: null, agg: 'max' },
      op: '==',
      rhs: { kind: 'number', value: 0 },
    });
  });

  it('every operator, no spaces needed', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>='] as const) {
      expect(parseGate(`recovery_ms[rdb].median${op}2000`).op).toBe(op);
    }
  });

  it('modes with + and -, wildcard, target qualifier', () => {
    expect(parseGate('loss_pct[rdb+aof].mean < 1').lhs.mode).toBe('rdb+aof');
    expect(parseGate('p99_ms[*].median <= 50').lhs).toMatchObject({ mode: '*', target: null });
    expect(parseGate('throughput[redis:none].p50 > 1').lhs).toMatchObject({ target: 'redis', mode: 'none', agg: 'p50' });
    expect(parseGate('throughput[*:*].min > 1').lhs).toMatchObject({ target: '*', mode: '*' });
    expect(parseGate('  lost [ aof-always ] . max == 0 ').lhs.mode).toBe('aof-always');
  });

  it('numbers: decimals, exponents, negatives, separators, SI suffixes', () => {
    const v = (s: string) => {
      const r = parseGate(`throughput[none].median > ${s}`).rhs;
      return r.kind === 'number' ? r.value : NaN;
    };
    expect(v('1.5')).toBe(1.5);
    expect(v('.5')).toBe(0.5);
    expect(v('2e3')).toBe(2000);
    expect(v('-1')).toBe(-1);
    expect(v('100_000')).toBe(100000);
    expect(v('50k')).toBe(50000);
    expect(v('1.2M')).toBe(1200000);
  });

  it('baseline, either order', () => {
    expect(parseGate('p99_ms[*].median <= 1.2 * baseline').rhs).toEqual({ kind: 'baseline', factor: 1.2 });
    expect(parseGate('p99_ms[*].median <= baseline * 1.2').rhs).toEqual({ kind: 'baseline', factor: 1.2 });
    expect(parseGate('p99_ms[*].median <= baseline').rhs).toEqual({ kind: 'baseline', factor: 1 });
  });

  it('ratio between modes of one run', () => {
    expect(parseGate('throughput[aof-always].median >= 0.5 * throughput[none].median').rhs).toEqual({
      kind: 'ref',
      factor: 0.5,
      ref: { metric: 'throughput', target: null, mode: 'none', fault: null, agg: 'median' },
    });
    expect(parseGate('throughput[redis:aof-always].median >= throughput[redis:none].median * 0.4').rhs).toMatchObject({
      kind: 'ref',
      factor: 0.4,
      ref: { target: 'redis', mode: 'none' },
    });
  });
});

describe('parseGate: @fault in the selector', () => {
  it('mode@fault, target:mode@fault, *@fault, target:*@fault, @*', () => {
    expect(parseGate('lost[aof-always@sigterm].max == 0').lhs).toEqual({
      metric: 'lost', target: null, mode: 'aof-always', fault: 'sigterm', agg: 'max',
    });
    expect(parseGate('loss_window_ms[redis:aof-everysec@sigkill-during-bgsave].max <= 2500').lhs).toMatchObject({
      target: 'redis', mode: 'aof-everysec', fault: 'sigkill-during-bgsave',
    });
    expect(parseGate('wrong_data[*@sigkill].max == 0').lhs).toMatchObject({ target: null, mode: '*', fault: 'sigkill' });
    expect(parseGate('refused[builtin:*@sigterm].max == 0').lhs).toMatchObject({ target: 'builtin', mode: '*', fault: 'sigterm' });
    expect(parseGate('lost[rdb+aof@*].max == 0').lhs).toMatchObject({ mode: 'rdb+aof', fault: '*' });
    expect(parseGate(' lost [ none @ sigterm ] . max == 0').lhs).toMatchObject({ mode: 'none', fault: 'sigterm' });
  });

  it('a ref on the right may name a fault (one, not *)', () => {
    expect(parseGate('loss_pct[aof-everysec@sigterm].median <= loss_pct[aof-everysec@sigkill].median').rhs).toEqual({
      kind: 'ref',
      factor: 1,
      ref: { metric: 'loss_pct', target: null, mode: 'aof-everysec', fault: 'sigkill', agg: 'median' },
    });
  });

  it('refText writes the fault when set or given', () => {
    const lhs = parseGate('lost[aof-always@sigterm].max == 0').lhs;
    expect(refText(lhs)).toBe('lost[aof-always@sigterm].max');
    expect(refText({ ...lhs, fault: null })).toBe('lost[aof-always].max');
    expect(refText({ ...lhs, fault: null }, 'redis', 'sigkill')).toBe('lost[redis:aof-always@sigkill].max');
  });
});

describe('parseGate: bad syntax is a ConfigError naming the gate and the problem', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty gate/],
    ['lost[aof-alwys].max == 0', /gate 'lost\[aof-alwys\]\.max == 0': unknown mode 'aof-alwys' \(did you mean 'aof-always'\?\)/],
    ['lots[none].max == 0', /unknown metric 'lots' \(did you mean 'lost'\?\)/],
    ['lost[none].maxx == 0', /unknown aggregate 'maxx' \(did you mean 'max'\?\)/],
    ['lost[none].p95 == 0', /unknown aggregate 'p95'/],
    ['lost[redis].max == 0', /'redis' is a target, not a mode/],
    ['lost[redsi:none].max == 0', /unknown target 'redsi' \(did you mean 'redis'\?\)/],
    ['lost.max == 0', /expected '\[' and a mode after 'lost'/],
    ['lost[none] == 0', /expected '\.' and an aggregate/],
    ['lost[none.max == 0', /missing '\]'|expected '\]'/],
    ['lost[none].max 0', /expected a comparison \(== != < <= > >=\) after 'lost\[none\]\.max', found '0' at column 16/],
    ['lost[none].max = 0', /'=' at column 16 is not an operator/],
    ['lost[none].max == ', /expected a number, 'baseline' or a metric, found the end of the gate/],
    ['lost[none].max == 0 0', /unexpected '0' at column 21 after the threshold/],
    ['lost[none].max == 1x', /bad number/],
    ['lost[none].max == 2 * baseline * 3', /unexpected '\*'/],
    ['lost[none].max == baseline * lost[rdb].max', /baseline or another metric, not both/],
    ['lost[none].max == 0.5 * lost[*].max', /the mode on the right must be a single mode/],
    ['lost[none].max == 0.5 * lost[*:rdb].max', /the target on the right must be a single target/],
    ['lost[none].max == 0 # comment', /unexpected character '#'/],
    ['== 0', /expected a metric name at the start, found '==' at column 1/],
    ['lost[aof-always@sigkil].max == 0', /unknown fault 'sigkil' \(did you mean 'sigkill'\?\)/],
    ['lost[aof-always@zzzzzzzzzz].max == 0', /unknown fault 'zzzzzzzzzz' \(one of: sigkill, /],
    ['lost[aof-always@].max == 0', /expected a fault after '@', found '\]'/],
    ['lost[sigterm].max == 0', /'sigterm' is a fault, not a mode: write \[<mode>@sigterm\] or \[\*@sigterm\]/],
    ['lost[aof-always@sigkill@sigterm].max == 0', /expected '\]' to close the selector, found '@'/],
    ['lost[none].max == 0.5 * lost[rdb@*].max', /the fault on the right must be a single fault/],
    ['lost[none].max@sigkill == 0', /'@' at column 15 belongs inside \[ \]/],
  ];
  for (const [text, re] of cases) {
    it(JSON.stringify(text), () => {
      let err: unknown;
      try {
        parseGate(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message.startsWith(`gate '${text.trim()}': `)).toBe(true);
    });
  }
});

describe('parseGate: external targets', () => {
  it('[external:<name>:<mode>@<fault>] names an external target, and prints back the same', () => {
    const g = parseGate('loss_pct[external:docker-redis:aof-always@sigkill].max == 0');
    expect(g.lhs).toEqual({ metric: 'loss_pct', target: 'external:docker-redis', mode: 'aof-always', fault: 'sigkill', agg: 'max' });
    expect(refText(g.lhs)).toBe('loss_pct[external:docker-redis:aof-always@sigkill].max');
  });
  it('a missing mode after the name is one clear line', () => {
    expect(() => parseGate('lost[external:docker-redis].max == 0')).toThrow(/expected ':' and a mode after 'external:docker-redis'/);
  });
});
