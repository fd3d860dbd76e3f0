import { CLAIM_IDS, VERDICTS, type ClaimsResult } from '../shared/claims.js';
import { ConfigError } from '../shared/errors.js';
import { Validator, type Json } from './validator.js';

/** A claims result already parsed from JSON (`durabench report claims.json`). */
export function validateClaims(data: Json, file: string): ClaimsResult {
  const v = new Validator(file);
  const o = v.object(data, '');
  if (o.schemaVersion !== 1) throw new ConfigError(`${file}: schemaVersion ${JSON.stringify(o.schemaVersion ?? null)} is not supported (expected 1)`);
  if (o.kind !== 'claims') throw new ConfigError(`${file}: kind ${JSON.stringify(o.kind ?? null)} is not a claims result`);
  v.object(o.tool, 'tool');
  v.object(o.environment, 'environment');
  v.array(o.claims, 'claims').forEach((c, i) => {
    const co = v.object(c, `claims[${i}]`);
    v.oneOf(co.id, CLAIM_IDS, `claims[${i}].id`);
    v.string(co.text, `claims[${i}].text`);
  });
  v.array(o.verdicts, 'verdicts').forEach((x, i) => {
    const at = `verdicts[${i}]`;
    const vo = v.object(x, at);
    v.oneOf(vo.id, CLAIM_IDS, `${at}.id`);
    v.target(vo.target, `${at}.target`);
    v.oneOf(vo.verdict, VERDICTS, `${at}.verdict`);
    v.string(vo.rule, `${at}.rule`);
    v.string(vo.evidence, `${at}.evidence`);
    const figs = v.object(vo.figures, `${at}.figures`);
    for (const [k, f] of Object.entries(figs)) v.numberOrNull(f, `${at}.figures.${k}`);
  });
  if (o.sources === undefined) o.sources = [];
  v.array(o.sources, 'sources').forEach((s, i) => v.string(s, `sources[${i}]`));
  return o as unknown as ClaimsResult;
}
