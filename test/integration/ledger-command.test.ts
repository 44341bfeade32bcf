/**
 * The operator log as the README documents it, through the real commands only: `convene start`
 * prints the log key; a `convene witness` follows it; `convene start` with CONVENE_WITNESSES and
 * CONVENE_LOG_CHECKPOINT_MS gets every checkpoint cosigned; `convene operator add` is an entry; and
 * `convene audit verify` with the log and witness keys exits 0. A bad CONVENE_WITNESSES is refused.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const BIN = new URL('../../bin/convene.js', import.meta.url).pathname;

interface Proc {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CONVENE_LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function waitFor(p: Proc, re: RegExp): Promise<RegExpExecArray> {
  for (let i = 0; i < 600; i++) {
    const m = re.exec(p.out());
    if (m) return m;
    const done = await Promise.race([
      p.exited.then(() => true),
      new Promise((r) => setTimeout(r, 100, false)),
    ]);
    if (done) break;
  }
  throw new Error(`no ${re} in output: ${p.out().slice(0, 2000)}`);
}

async function stop(p: Proc): Promise<number | null> {
  p.child.kill('SIGTERM');
  return p.exited;
}

test('convene start, convene witness and convene audit verify, as documented', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-log-cmd-'));
  const witnessDir = await mkdtemp(path.join(os.tmpdir(), 'convene-log-witness-'));
  const procs: Proc[] = [];
  try {
    // First start: the key is created and printed.
    const first = run(['start', '--port', '0', '--data-dir', dataDir]);
    procs.push(first);
    const [, logKey] = await waitFor(first, /Operator log key: (\S+) \(also at/);
    assert.equal(await stop(first), 0);
    const origin = logKey!.split('+')[0]!;

    const witness = run(['witness', '--log', `${origin}=${logKey}`, '--port', '0', '--data-dir', witnessDir]);
    procs.push(witness);
    const [, witnessKey] = await waitFor(witness, /Witness verifier key: (\S+)/);
    const [, witnessUrl] = await waitFor(witness, /at (http:\/\/\S+)\/add-checkpoint/);

    const server = run(['start', '--port', '0', '--data-dir', dataDir], {
      CONVENE_WITNESSES: `${witnessKey}@${witnessUrl}`,
      CONVENE_LOG_CHECKPOINT_MS: '200',
    });
    procs.push(server);
    const [, url] = await waitFor(server, /running at (http:\/\/\S+)/);
    const [, keyAgain] = await waitFor(server, /Operator log key: (\S+) \(also at/);
    assert.equal(keyAgain, logKey, 'the key is kept in the data directory');

    const add = run([
      'operator',
      'add',
      '--email',
      'admin@example.org',
      '--role',
      'admin',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(await add.exited, 0, add.out());

    // The schedule signs the grown log and the witness cosigns it.
    let cosigned = '';
    const cosignedSize = () => Number(cosigned.split('\n')[1] ?? 0);
    for (let i = 0; i < 100 && cosignedSize() < 1; i++) {
      const res = await fetch(`${url}/log/cosigned-checkpoint`);
      cosigned = res.status === 200 ? await res.text() : '';
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(cosigned.startsWith(`${origin}\n`), cosigned);
    assert.equal(cosignedSize(), 1, 'the operator added is the first entry, cosigned');
    assert.equal(cosigned.split('\n— ').length - 1, 2, 'the log signature and one cosignature');

    const audit = run(['audit', 'verify', url!, '--key', logKey!, '--witness', witnessKey!]);
    assert.equal(await audit.exited, 0, audit.out());
    assert.match(audit.out(), /ok {3}cosigned checkpoint: size \d+, cosigned by/);
    const wrongWitness = run(['audit', 'verify', url!, '--key', logKey!, '--witness', logKey!]);
    assert.equal(await wrongWitness.exited, 1, wrongWitness.out());
    assert.equal(await stop(server), 0);

    const bad = run(['start', '--port', '0', '--data-dir', dataDir], {
      CONVENE_WITNESSES: 'not-a-key@http://127.0.0.1:1',
    });
    assert.equal(await bad.exited, 1);
    assert.match(bad.out(), /log\.witnesses: "not-a-key" is not a verifier key/);
  } finally {
    for (const p of procs) if (p.child.exitCode === null) await stop(p);
    await rm(dataDir, { recursive: true, force: true });
    await rm(witnessDir, { recursive: true, force: true });
  }
});
