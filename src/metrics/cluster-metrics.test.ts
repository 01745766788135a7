// /metrics under node:cluster: any worker answers with the sum over all workers (the primary aggregates over IPC); outside a cluster, the process's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { countUnlock, metricsText } from './index.ts';

const FIXTURE = fileURLToPath(new URL('./cluster-metrics.fixture.ts', import.meta.url));
const probe = (text: string) => Number(/^klartext_unlocks_total\{result="granted",reason="cluster-probe"\} (\d+)$/m.exec(text)?.[1] ?? 0);

test('outside a cluster /metrics is this process alone', async () => {
  const before = probe(await metricsText());
  countUnlock('granted', 'cluster-probe');
  assert.equal(probe(await metricsText()), before + 1);
});

test('in a cluster of two workers each worker answers with the sum of both (1 + 2), and both workers answer', async () => {
  const primary = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: primary.stdout }).on('line', (line) => { if (line.startsWith('ready ')) resolve(Number(line.slice(6))); });
      primary.on('exit', (code) => reject(new Error(`the cluster exited with ${code}`)));
    });
    const counts = new Map<string, number>();
    // the primary hands connections to the workers in turn; a few requests reach both
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      const [, pid, count] = /^pid (\d+) count (\d+)/.exec(text)!;
      counts.set(pid!, Number(count));
      assert.equal(probe(text), 3, 'worker 1 counted once, worker 2 twice');
      assert.match(text, /^klartext_process_cpu_seconds_total|^# HELP klartext_http_request_duration_seconds/m);
    }
    assert.equal(counts.size, 2, 'both workers answered');

    // one worker ends (the primary of this fixture does not replace it): the survivor answers at once with its own count
    const gone = /^pid (\d+)/.exec(await (await fetch(`http://127.0.0.1:${port}/exit`, { headers: { connection: 'close' } })).text())![1]!;
    let text = '';
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } }).catch(() => undefined);
      if (res?.status === 200) { text = await res.text(); if (!text.startsWith(`pid ${gone}`) && probe(text) !== 3) break; }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.notEqual(/^pid (\d+)/.exec(text)?.[1], gone);
    const survivor = [...counts.keys()].find((p) => p !== gone)!;
    assert.equal(probe(text), counts.get(survivor), 'only the surviving worker is summed');
  } finally {
    primary.stdin.end();
    await new Promise((r) => primary.once('exit', r));
  }
});
