import { describe, expect, it } from 'vitest';
import { CommandStat, commandStatFields, ErrorStats, SAMPLE } from '../../../src/server/command-stats.js';

describe('command stats', () => {
  it('times the first call and every SAMPLE-th after it; usec is the sampled mean × calls', () => {
    const s = new CommandStat();
    const timed: number[] = [];
    for (let i = 0; i < 3 * SAMPLE; i++) {
      if (s.timeNext) {
        timed.push(i);
        s.sampled++;
        s.sampledUsec += 2;
      }
      s.calls++;
    }
    expect(timed).toEqual([0, SAMPLE, 2 * SAMPLE]);
    expect(s.usec).toBe(2 * 3 * SAMPLE);
    expect(commandStatFields([['get', s]])).toEqual({ cmdstat_get: `calls=${3 * SAMPLE},usec=${6 * SAMPLE},usec_per_call=2.00,rejected_calls=0,failed_calls=0` });
    expect(commandStatFields([['set', new CommandStat()]])).toEqual({}); // never called: not listed
  });

  it('counts errors by their code, ERR when there is none within 32 characters', () => {
    const e = new ErrorStats();
    e.count('-WRONGTYPE Operation against a key\r\n');
    e.count('-ERR syntax error\r\n');
    e.count('-EXECABORT Transaction discarded because of previous errors.\r\n');
    e.count('-ERR unknown command\r\n');
    e.count('-NOSPACEINTHISERRORATALLFORSURE\r\n');
    expect(e.total).toBe(5);
    expect(e.fields()).toEqual({ errorstat_ERR: 'count=3', errorstat_EXECABORT: 'count=1', errorstat_WRONGTYPE: 'count=1' });
  });
});
