// Recursive-descent parser for gate expressions. The grammar and the Gate/MetricRef types
// live in gate.ts, the lexer in gate-tokenize.ts.
import { ConfigError } from './errors.js';
import { isMetricName, METRICS } from './metrics.js';
import { EXTERNAL_NAME, EXTERNAL_PREFIX, FAULTS, MODES, TARGETS, type FaultKind, type Mode, type TargetKind } from './types.js';
import { didYouMean } from './suggest.js';
import { AGGS, OPS, refText, type Agg, type Gate, type MetricRef, type Rhs } from './gate.js';
import { tokenize, type Tok } from './gate-tokenize.js';

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

  private expectPunct(v: '[' | ']' | '.' | ':' | '@', what: string): void {
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
      if (first.v === 'external') {
        // [external:<name>:<mode>]: the external target's name, then the mode
        const name = this.selectorPart("an external target's name after 'external:'");
        if (!EXTERNAL_NAME.test(name.v)) this.fail(`'${name.v}' is not an external target's name (letters, digits, '_', '-')`);
        this.expectPunct(':', `':' and a mode after 'external:${name.v}'`);
        target = `${EXTERNAL_PREFIX}${name.v}`;
      } else target = this.asTarget(first);
      mode = this.asMode(this.selectorPart());
    } else {
      mode = this.asMode(first);
    }
    let fault: FaultKind | '*' | null = null;
    const at = this.peek();
    if (at.t === 'punct' && at.v === '@') {
      this.next();
      fault = this.asFault(this.selectorPart('a fault after \'@\''));
    }
    this.expectPunct(']', `']' to close the selector`);
    const dot = this.next();
    if (dot.t !== 'punct' || dot.v !== '.') {
      this.fail(`expected '.' and an aggregate (${AGGS.join('|')}) after ']', found ${this.describe(dot)}`);
    }
    const a = this.next();
    if (a.t !== 'name') this.fail(`expected an aggregate (${AGGS.join('|')}), found ${this.describe(a)}`);
    if (!(AGGS as readonly string[]).includes(a.v)) this.fail(`unknown aggregate '${a.v}'${didYouMean(a.v, AGGS)}`);
    return { metric: m.v, target, mode, fault, agg: a.v as Agg };
  }

  private selectorPart(what = "a mode, 'target:mode' or '*' inside [ ]"): { v: string; at: number } {
    const t = this.next();
    if (t.t === 'name') return { v: t.v, at: t.at };
    if (t.t === 'punct' && t.v === '*') return { v: '*', at: t.at };
    if (t.t === 'num') return { v: t.raw, at: t.at };
    return this.fail(`expected ${what}, found ${this.describe(t)}`);
  }

  private asFault(p: { v: string }): FaultKind | '*' {
    if (p.v === '*') return '*';
    if (!(FAULTS as readonly string[]).includes(p.v)) this.fail(`unknown fault '${p.v}'${didYouMean(p.v, FAULTS)}`);
    return p.v as FaultKind;
  }

  private asTarget(p: { v: string }): TargetKind | '*' {
    if (p.v === '*') return '*';
    if (!(TARGETS as readonly string[]).includes(p.v)) this.fail(`unknown target '${p.v}'${didYouMean(p.v, TARGETS)}; an external one is external:<name>:<mode>`);
    return p.v as TargetKind;
  }

  private asMode(p: { v: string }): Mode | '*' {
    if (p.v === '*') return '*';
    if (!(MODES as readonly string[]).includes(p.v)) {
      if ((TARGETS as readonly string[]).includes(p.v)) {
        this.fail(`'${p.v}' is a target, not a mode: write [${p.v}:<mode>] or [${p.v}:*]`);
      }
      if ((FAULTS as readonly string[]).includes(p.v)) {
        this.fail(`'${p.v}' is a fault, not a mode: write [<mode>@${p.v}] or [*@${p.v}]`);
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
      if (o.ref.fault === '*') this.fail(`the fault on the right must be a single fault, not '*'`);
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
