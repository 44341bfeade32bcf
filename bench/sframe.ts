/**
 * bench:sframe — CPU cost of SFrame per media frame in Node (WebCrypto), through the same path the
 * browser worker uses: encryptFrame/decryptFrame over an SFrameKeyRing (clear codec prefix, header,
 * AES-GCM). Frames are processed one at a time, awaiting each, as the worker's TransformStream does,
 * so the figure is per-frame latency on one core. Prints a table; asserts nothing.
 *
 *   npm run bench:sframe [-- --seconds=2]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Bytes } from '../src/e2ee/sframe/bytes.js';
import { SFrameKeyRing } from '../src/e2ee/sframe/keyRing.js';
import { decryptFrame, encryptFrame, type MediaCodec } from '../src/e2ee/sframe/media.js';
import { CipherSuite, suiteParams, type CipherSuiteId } from '../src/e2ee/sframe/suites.js';

const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 2);

function frame(length: number, first: number): Bytes {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (i * 31 + 7) & 0xff;
  b[0] = first;
  return b;
}

// Typical sizes: a 20 ms Opus frame, a VP8 delta frame at ~300 kbit/s, a VP8 keyframe.
const FRAMES: [string, MediaCodec, Bytes][] = [
  ['audio 100 B (Opus)', 'opus', frame(100, 0x78)],
  ['video 1.2 KB (VP8 delta)', 'vp8', frame(1200, 0x51)],
  ['video 30 KB (VP8 key)', 'vp8', frame(30_000, 0x50)],
];

/**
 * µs per call of `fn`: the median over 100 ms rounds for about `seconds`, after a warm-up. The machine is
 * shared, so the median of short rounds says more than one long mean that a burst of other work skews.
 */
async function time(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  const rounds: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < 100) {
      for (let i = 0; i < 10; i++) await fn();
      n += 10;
    }
    rounds.push(((performance.now() - start) * 1000) / n);
  }
  rounds.sort((x, y) => x - y);
  return rounds[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

async function benchSuite(suite: CipherSuiteId): Promise<string[]> {
  const sender = new SFrameKeyRing({ suite });
  const receiver = new SFrameKeyRing({ suite });
  const secret = new Uint8Array(suiteParams(suite).nk).fill(3);
  sender.setEpoch(1, secret, 0);
  receiver.setEpoch(1, secret, 1);
  const rows: string[] = [];
  for (const [label, codec, plain] of FRAMES) {
    const sample = await encryptFrame(sender, codec, plain);
    if (!sample.ok) throw new Error('encrypt failed');
    const check = await decryptFrame(receiver, codec, sample.data);
    if (!check.ok) throw new Error(`decrypt failed: ${check.reason}`);
    const enc = await time(() => encryptFrame(sender, codec, plain));
    const dec = await time(() => decryptFrame(receiver, codec, sample.data));
    const total = enc + dec;
    rows.push(
      `| ${suiteParams(suite).name} | ${label} | ${enc.toFixed(1)} | ${dec.toFixed(1)} | ${total.toFixed(1)} | ${Math.round(1e6 / total)} |`,
    );
  }
  return rows;
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`load average (1 min) before the run: ${os.loadavg()[0]?.toFixed(2)}`);
console.log(
  `Node ${process.version}, ${os.cpus().length} cores (${cpu}), median of 100 ms rounds over ${seconds} s per cell\n`,
);
console.log('| suite | frame | encrypt µs | decrypt µs | enc+dec µs | frames/s (enc+dec, one core) |');
console.log('|---|---|---:|---:|---:|---:|');
for (const suite of [
  CipherSuite.AES_128_GCM_SHA256_128,
  CipherSuite.AES_256_GCM_SHA512_128,
  CipherSuite.AES_128_CTR_HMAC_SHA256_80,
])
  for (const row of await benchSuite(suite)) console.log(row);
console.log(`\nload average (1 min) after the run: ${os.loadavg()[0]?.toFixed(2)}`);
