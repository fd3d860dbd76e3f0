import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../src/harness/targets/ports.js';

describe('freePort', () => {
  it('gives a port below the ephemeral range (where client sockets never land) that can be listened on', async () => {
    const port = await freePort();
    const range = fs.existsSync('/proc/sys/net/ipv4/ip_local_port_range')
      ? Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
      : 32768;
    expect(port).toBeGreaterThanOrEqual(10000);
    expect(port).toBeLessThan(range);
    const srv = net.createServer();
    await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((r) => srv.close(r));
  });
});
