import { describe, expect, it } from 'vitest';
import { infoNumber, parseInfo, snapshotInProgress } from '../../../src/harness/measure/info.js';

const SAMPLE = [
  '# Server',
  'redis_version:7.0.15',
  'executable:/usr/bin/redis-server',
  'config_file:',
  '',
  '# Persistence',
  'loading:0',
  'rdb_bgsave_in_progress:1',
  'rdb_last_cow_size:1228800',
  'aof_rewrite_in_progress:0',
  '',
  '# Stats',
  'latest_fork_usec:547',
  'total_forks:3',
  '',
  '# Keyspace',
  'db0:keys=24100,expires=0,avg_ttl=0',
  '',
].join('\r\n');

describe('parseInfo', () => {
  it('reads fields across sections, CRLF or LF', () => {
    for (const text of [SAMPLE, SAMPLE.replace(/\r\n/g, '\n')]) {
      const info = parseInfo(text);
      expect(info.redis_version).toBe('7.0.15');
      expect(info.loading).toBe('0');
      expect(info.latest_fork_usec).toBe('547');
      expect(info.config_file).toBe('');
      expect(info['# Server']).toBeUndefined();
    }
  });

  it('keeps colons inside values', () => {
    expect(parseInfo('executable:/a:b\r\n').executable).toBe('/a:b');
    expect(parseInfo(SAMPLE).db0).toBe('keys=24100,expires=0,avg_ttl=0');
  });

  it('infoNumber / snapshotInProgress', () => {
    const info = parseInfo(SAMPLE);
    expect(infoNumber(info, 'rdb_last_cow_size')).toBe(1228800);
    expect(infoNumber(info, 'config_file')).toBeNull();
    expect(infoNumber(info, 'nope')).toBeNull();
    expect(snapshotInProgress(info)).toBe(true);
  });
});
