import { arrayHeader, bulk, int } from '../resp/encoder.js';
import { SYNTAX, NOT_INT, type Ctx } from './command.js';
import { err, parseLongLong } from './args.js';

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN] (lcsCommand, t_string.c): the
 * textbook O(n·m) table, walked back from the end exactly as Redis does, so the ranges come
 * out in Redis's order (last match first). Missing keys count as empty strings.
 */
export function lcs(ctx: Ctx, argv: string[]): string {
  const va = ctx.ks.get(argv[1]!);
  const vb = ctx.ks.get(argv[2]!);
  if ((va !== undefined && typeof va !== 'string') || (vb !== undefined && typeof vb !== 'string')) {
    return err('The specified keys must contain string values');
  }
  const a = va ?? '';
  const b = vb ?? '';
  let getIdx = false;
  let getLen = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'idx') getIdx = true;
    else if (opt === 'len') getLen = true;
    else if (opt === 'withmatchlen') withMatchLen = true;
    else if (opt === 'minmatchlen' && j + 1 < argv.length) {
      const n = parseLongLong(argv[++j]!);
      if (n === null) return NOT_INT;
      minMatchLen = Math.max(n, 0);
    } else return SYNTAX;
  }
  if (getIdx && getLen) return err('If you want both the length and indexes, please just use IDX.');

  const alen = a.length;
  const blen = b.length;
  const w = blen + 1;
  let dp: Uint32Array;
  try {
    dp = new Uint32Array((alen + 1) * w);
  } catch {
    return err('Insufficient memory, failed allocating transient memory for LCS');
  }
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) dp[i * w + j] = dp[(i - 1) * w + j - 1]! + 1;
      else {
        const l1 = dp[(i - 1) * w + j]!;
        const l2 = dp[i * w + j - 1]!;
        dp[i * w + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = dp[alen * w + blen]!;
  if (getLen) return int(total);

  const result: string[] = new Array<string>(total);
  let idx = total;
  let ranges = '';
  let rangeCount = 0;
  let aStart = alen; // alen: no range open
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      result[idx - 1] = a[i - 1]!;
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (dp[(i - 1) * w + j]! > dp[i * w + j - 1]!) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (getIdx && (minMatchLen === 0 || matchLen >= minMatchLen)) {
        ranges += arrayHeader(withMatchLen ? 3 : 2) + '*2\r\n' + int(aStart) + int(aEnd) + '*2\r\n' + int(bStart) + int(bEnd);
        if (withMatchLen) ranges += int(matchLen);
        rangeCount++;
      }
      aStart = alen;
    }
  }
  if (!getIdx) return bulk(result.join(''));
  const head = ctx.resp === 3 ? '%2\r\n' : '*4\r\n';
  return head + bulk('matches') + arrayHeader(rangeCount) + ranges + bulk('len') + int(total);
}
