import { ConfigError } from './errors.js';
import { isMetricName, METRICS, type MetricName } from './metrics.js';
import { MODES, TARGETS, type Mode, type TargetKind } from './types.js';
import { didYouMean } from './suggest.js';

/**
 * Gate expressions, in the spirit of k6 thresholds. One gate is
 *
 *   gate     := ref op rhs
 *   ref      := metric '[' selector ']' '.' agg
 *   selector := mode | '*' | target ':' mode | target ':' '*'
 *   op       := '==' | '!=' | '<' | '<=' | '>' | '>='
 *   rhs      := factor [ '*' factor ]
 *   factor   := number | 'baseline' | ref
 *
 * - metric: a METRICS name (lost, loss_pct, recovery_ms, throughput, p99_ms, fork_usec, ...).
 * - mode: none | rdb | aof-always | aof-everysec | aof-no | rdb+aof; `*` = every mode in the
 *   run, each checked (and reported) on its own.
 * - target: builtin | redis. Without a target the gate is checked for every target in the
 *   run, each on its own; `*:` says the same explicitly.
 * - agg over the trials of that target/mode: median (alias p50), mean, min, max.
 * - number: decimal, optional exponent, `_` separators, optional k/M/G suffix (50k = 50000).
 * - `baseline`: the same metric/target/mode/agg in the baseline result (--baseline).
 * - a ref on the right compares modes side by side in one run; its mode must be concrete and
 *   its target defaults to the target being checked. At most one of baseline/ref per side.
 *
 * Examples:
 *   lost[aof-always].max == 0
 *   loss_pct[none].min >= 99
 *   recovery_ms[rdb].median < 2000
 *   throughput[redis:aof-always].median >= 0.5 * throughput[redis:none].median
 *   p99_ms[*].median <= 1.2 * baseline
 */
export const AGGS = ['median', 'p50', 'mean', 'min', 'max'] as const;
export type Agg = (typeof AGGS)[number];
export const OPS = ['==', '!=', '<', '<=', '>', '>='] as const;
export type Op = (typeof OPS)[number];

export interface MetricRef {
  metric: MetricName;
  /** null: not written (every target on the left; the checked target on the right) */
  target: TargetKind | '*' | null;
  mode: Mode | '*';
  agg: Agg;
}

export type Rhs =
  | { kind: 'number'; value: number }
  | { kind: 'baseline'; factor: number }
  | { kind: 'ref'; factor: number; ref: MetricRef };

export interface Gate {
  /** the text as written, trimmed */
  text: string;
  lhs: MetricRef;
  op: Op;
  rhs: Rhs;
}

type Tok =
  | { t: 'name'; v: string; at: number }
  | { t: 'num'; v: number; raw: string; at: number }
  | { t: 'op'; v: Op; at: number }
  | { t: 'punct'; v: '[' | ']' | '.' | ':' | '*'; at: number }
  | { t: 'end'; at: number };

export function parseGates(texts: readonly string[]): Gate[] {
  return texts.map(parseGate);
}

export function parseGate(input: string): Gate {
  const text = input.trim();
  const p = new Parser(text);
  return p.gate();
}

class Parser {
  private toks: Tok[];
  private i = 0;

  constructor(private readonly text: string) {
    this.toks = tokenize(text, (msg) => this.fail(msg));
  }

  fail(msg: string): never {
    throw new ConfigError(`gate '${this.text}': ${msg}`);
  }

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private next(): Tok {
    return this.toks[this.i++]!;
  }

  private describe(t: Tok): string {
    if (t.t === 'end') return 'the end of the gate';
    const raw = t.t === 'num' ? t.raw : t.v;
    return `'${raw}' at column ${t.at + 1}`;
  }

  private expectPunct(v: '[' | ']' | '.' | ':', what: string): void {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== v) this.fail(`expected ${what}, found ${this.describe(t)}`);
  }

  gate(): Gate {
    if (this.text === '') this.fail('empty gate');
    const lhs = this.ref('left');
    const opTok = this.next();
    if (opTok.t !== 'op') {
      this.fail(`expected a comparison (${OPS.join(' ')}) after '${refText(lhs)}', found ${this.describe(opTok)}`);
    }
    const rhs = this.rhs();
    const end = this.next();
    if (end.t !== 'end') this.fail(`unexpected ${this.describe(end)} after the threshold`);
    return { text: this.text, lhs, op: opTok.v, rhs };
  }

  private ref(side: 'left' | 'right'): MetricRef {
    const m = this.next();
    if (m.t !== 'name') {
      this.fail(`expected a metric name${side === 'left' ? ' at the start' : ''}, found ${this.describe(m)}`);
    }
    if (!isMetricName(m.v)) this.fail(`unknown metric '${m.v}'${didYouMean(m.v, Object.keys(METRICS))}`);
    const tb = this.next();
    if (tb.t !== 'punct' || tb.v !== '[') {
      this.fail(`expected '[' and a mode after '${m.v}' (e.g. ${m.v}[aof-always].median), found ${this.describe(tb)}`);
    }
    const first = this.selectorPart();
    let target: TargetKind | '*' | null = null;
    let mode: Mode | '*';
    const sep = this.peek();
    if (sep.t === 'punct' && sep.v === ':') {
      this.next();
      target = this.asTarget(first);
      mode = this.asMode(this.selectorPart());
    } else {
      mode = this.asMode(first);
    }
    this.expectPunct(']', `']' to close the selector`);
    const dot = this.next();
    if (dot.t !== 'punct' || dot.v !== '.') {
      this.fail(`expected '.' and an aggregate (${AGGS.join('|')}) after ']', found ${this.describe(dot)}`);
    }
    const a = this.next();
    if (a.t !== 'name') this.fail(`expected an aggregate (${AGGS.join('|')}), found ${this.describe(a)}`);
    if (!(AGGS as readonly string[]).includes(a.v)) this.fail(`unknown aggregate '${a.v}'${didYouMean(a.v, AGGS)}`);
    return { metric: m.v, target, mode, agg: a.v as Agg };
  }

  private selectorPart(): { v: string; at: number } {
    const t = this.next();
    if (t.t === 'name') return { v: t.v, at: t.at };
    if (t.t === 'punct' && t.v === '*') return { v: '*', at: t.at };
    if (t.t === 'num') return { v: t.raw, at: t.at };
    return this.fail(`expected a mode, 'target:mode' or '*' inside [ ], found ${this.describe(t)}`);
  }

  private asTarget(p: { v: string }): TargetKind | '*' {
    if (p.v === '*') return '*';
    if (!(TARGETS as readonly string[]).includes(p.v)) this.fail(`unknown target '${p.v}'${didYouMean(p.v, TARGETS)}`);
    return p.v as TargetKind;
  }

  private asMode(p: { v: string }): Mode | '*' {
    if (p.v === '*') return '*';
    if (!(MODES as readonly string[]).includes(p.v)) {
      if ((TARGETS as readonly string[]).includes(p.v)) {
        this.fail(`'${p.v}' is a target, not a mode: write [${p.v}:<mode>] or [${p.v}:*]`);
      }
      this.fail(`unknown mode '${p.v}'${didYouMean(p.v, MODES)}`);
    }
    return p.v as Mode;
  }

  private rhs(): Rhs {
    const a = this.factor();
    const star = this.peek();
    let b: Factor | null = null;
    if (star.t === 'punct' && star.v === '*') {
      this.next();
      b = this.factor();
    }
    const factors = b ? [a, b] : [a];
    const nums = factors.filter((f): f is { k: 'num'; v: number } => f.k === 'num');
    const others = factors.filter((f) => f.k !== 'num');
    if (others.length > 1) this.fail('the threshold can use baseline or another metric, not both or twice');
    const factor = nums.reduce((acc, f) => acc * f.v, 1);
    if (!Number.isFinite(factor)) this.fail('the threshold is not a finite number');
    const o = others[0];
    if (o === undefined) return { kind: 'number', value: factor };
    if (o.k === 'baseline') return { kind: 'baseline', factor };
    if (o.k === 'ref') {
      if (o.ref.mode === '*') this.fail(`the mode on the right must be a single mode, not '*'`);
      if (o.ref.target === '*') this.fail(`the target on the right must be a single target, not '*'`);
      return { kind: 'ref', factor, ref: o.ref };
    }
    return this.fail('internal: unknown factor');
  }

  private factor(): Factor {
    const t = this.peek();
    if (t.t === 'num') {
      this.next();
      return { k: 'num', v: t.v };
    }
    if (t.t === 'name' && t.v === 'baseline') {
      this.next();
      return { k: 'baseline' };
    }
    if (t.t === 'name') return { k: 'ref', ref: this.ref('right') };
    return this.fail(`expected a number, 'baseline' or a metric, found ${this.describe(t)}`);
  }
}

type Factor = { k: 'num'; v: number } | { k: 'baseline' } | { k: 'ref'; ref: MetricRef };

const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/**
 * Hand-written tokenizer. Inside [ ] a name may contain '-' and '+' (aof-always, rdb+aof);
 * outside, '-' only starts a negative number.
 */
function tokenize(s: string, fail: (msg: string) => never): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let inBrackets = false;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '[' || c === ']') {
      if (c === '[' && inBrackets) fail(`unexpected '[' at column ${at + 1} (missing ']'?)`);
      if (c === ']' && !inBrackets) fail(`unexpected ']' at column ${at + 1}`);
      inBrackets = c === '[';
      out.push({ t: 'punct', v: c, at });
      i++;
      continue;
    }
    if (inBrackets && !/[A-Za-z0-9_+\-*:]/.test(c)) fail(`missing ']' before '${c}' at column ${at + 1}`);
    if (c === '*' || c === ':' || (c === '.' && !/[0-9]/.test(s[i + 1] ?? ''))) {
      out.push({ t: 'punct', v: c, at });
      i++;
      continue;
    }
    if (!inBrackets && /[=!<>]/.test(c)) {
      const two = s.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
        out.push({ t: 'op', v: two, at });
        i += 2;
        continue;
      }
      if (c === '<' || c === '>') {
        out.push({ t: 'op', v: c, at });
        i++;
        continue;
      }
      fail(`'${c}' at column ${at + 1} is not an operator (use ${OPS.join(' ')})`);
    }
    if (inBrackets ? /[A-Za-z0-9_+\-]/.test(c) : /[A-Za-z_]/.test(c)) {
      let j = i;
      const re = inBrackets ? /[A-Za-z0-9_+\-]/ : /[A-Za-z0-9_]/;
      while (j < s.length && re.test(s[j]!)) j++;
      out.push({ t: 'name', v: s.slice(i, j), at });
      i = j;
      continue;
    }
    if (/[0-9.\-+]/.test(c)) {
      const m = /^[-+]?(?:\d[\d_]*(?:\.\d[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?/.exec(s.slice(i));
      if (!m) fail(`bad number at column ${at + 1}`);
      let raw = m[0];
      let v = Number(raw.replace(/_/g, ''));
      let j = i + raw.length;
      const sfx = s[j];
      if (sfx !== undefined && SUFFIX[sfx] !== undefined && !/[A-Za-z0-9_]/.test(s[j + 1] ?? '')) {
        v *= SUFFIX[sfx]!;
        raw += sfx;
        j++;
      }
      if (/[A-Za-z0-9_.]/.test(s[j] ?? '')) fail(`bad number '${s.slice(i, j + 1)}' at column ${at + 1}`);
      if (!Number.isFinite(v)) fail(`number '${raw}' at column ${at + 1} is out of range`);
      out.push({ t: 'num', v, raw, at });
      i = j;
      continue;
    }
    fail(`unexpected character '${c}' at column ${at + 1}`);
  }
  if (inBrackets) fail("missing ']'");
  out.push({ t: 'end', at: s.length });
  return out;
}

/** Canonical text of a ref; with `target` set, the target is always written. */
export function refText(r: MetricRef, target?: string): string {
  const t = target ?? (r.target === null ? null : r.target);
  return `${r.metric}[${t !== null ? `${t}:` : ''}${r.mode}].${r.agg}`;
}
