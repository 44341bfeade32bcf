/** `convene witness` as an operator runs it: the real command in a child process, restarted on the same data directory. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  MemoryTree,
  consistencyProof,
  cosignatureVerifier,
  ed25519Signer,
  formatAddCheckpoint,
  formatCheckpoint,
  formatNote,
  formatVerifierKey,
  generateSignerKey,
  originHash,
  parseVerifierKey,
  signNote,
  treeHash,
  verifierOf,
  verifyNote,
} from '../../src/ledger/index.js';
import { parseWitnessArgs, startWitness as startInProcess } from '../../src/witness/command.js';
import { WitnessRequestError, requestCosignature } from '../../src/witness/client.js';

import { startWitnessProcess, stopWitnessProcess } from '../support/witnessProcess.js';

const BIN = new URL('../../bin/convene.js', import.meta.url).pathname;

const ORIGIN = 'convene.test/ledger';

test('the witness cosigns honest growth, refuses a fork, and keeps its key and state across a restart', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-witness-'));
  try {
    const logKey = generateSignerKey(ORIGIN);
    const args = [
      '--log',
      `${ORIGIN}=${formatVerifierKey(verifierOf(logKey))}`,
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ];
    const tree = new MemoryTree();
    for (let i = 0; i < 300; i++) tree.appendEntry(Buffer.from(`action ${i}`));
    const checkpoint = async (size: number) =>
      formatNote(
        signNote(
          formatCheckpoint({ origin: ORIGIN, size, root: await treeHash(tree, size), extensions: [] }),
          [ed25519Signer(logKey)],
        ),
      );
    const post = async (url: string, oldSize: number, size: number, cp?: string) => {
      const body = formatAddCheckpoint({
        oldSize,
        proof: oldSize === 0 ? [] : await consistencyProof(tree, oldSize, size),
        checkpoint: cp ?? (await checkpoint(size)),
      });
      const res = await fetch(`${url}/add-checkpoint`, { method: 'POST', body });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };

    const first = await startWitnessProcess(args);
    assert.match(first.stdout, /Created a new witness key/);
    const witnessVerifier = cosignatureVerifier(parseVerifierKey(first.vkey));
    const r1 = await post(first.url, 0, 100);
    assert.equal(r1.status, 200, r1.body);
    assert.equal(verifyNote((await checkpoint(100)) + r1.body, [witnessVerifier]).verified.length, 1);
    assert.equal((await post(first.url, 100, 200)).status, 200);
    const fork = formatNote(
      signNote(
        formatCheckpoint({ origin: ORIGIN, size: 200, root: await treeHash(tree, 199), extensions: [] }),
        [ed25519Signer(logKey)],
      ),
    );
    assert.equal((await post(first.url, 200, 200, fork)).status, 422);
    assert.equal(await stopWitnessProcess(first), 0);
    assert.equal((await stat(path.join(dataDir, 'witness.key'))).mode & 0o077, 0, 'the key file is private');

    const second = await startWitnessProcess(args);
    assert.equal(second.vkey, first.vkey, 'same key after restart');
    assert.doesNotMatch(second.stdout, /Created/);
    const stale = await post(second.url, 0, 250);
    assert.equal(stale.status, 409);
    assert.equal(stale.body, '200\n', 'the restarted witness remembers size 200');
    assert.equal(stale.type, 'text/x.tlog.size');
    const r3 = await post(second.url, 200, 300);
    assert.equal(r3.status, 200);
    const latest = await fetch(`${second.url}/${originHash(ORIGIN)}/checkpoint`);
    assert.equal(latest.status, 200);
    assert.equal(verifyNote(await latest.text(), [witnessVerifier]).verified.length, 1);
    assert.equal(await stopWitnessProcess(second), 0);
    const state = JSON.parse(await readFile(path.join(dataDir, 'witness-state.json'), 'utf8')) as {
      logs: Record<string, { size: number }>;
    };
    assert.equal(state.logs[ORIGIN]?.size, 300);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('bad witness flags are refused with the usage text', async () => {
  const child = spawn(process.execPath, [BIN, 'witness', '--port', '1']);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /--log <origin>=<verifier-key> is required/);
});

test('HTTP edges: wrong method, oversized body, unknown paths; a corrupt state file stops the witness instead of resetting it', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-witness-'));
  try {
    const logKey = generateSignerKey(ORIGIN);
    const opts = parseWitnessArgs([
      '--log',
      `${ORIGIN}=${formatVerifierKey(verifierOf(logKey))}`,
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    const { server } = await startInProcess(opts);
    try {
      assert.equal((await fetch(`${server.url}/add-checkpoint`)).status, 405);
      const big = await fetch(`${server.url}/add-checkpoint`, { method: 'POST', body: 'x'.repeat(70_000) });
      assert.equal(big.status, 413);
      assert.equal((await fetch(`${server.url}/nothing`)).status, 404);
      assert.equal(
        (await fetch(`${server.url}/${originHash(ORIGIN)}/checkpoint`)).status,
        404,
        'nothing cosigned yet',
      );
    } finally {
      await server.close();
    }
    await writeFile(path.join(dataDir, 'witness-state.json'), '{"version":1,"logs":{"x":{"size":"ten"}}}');
    await assert.rejects(startInProcess(opts), /bad record/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('requestCosignature follows a 409 once, checks the cosignature, and refuses a fork', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-witness-'));
  const logKey = generateSignerKey(ORIGIN);
  const opts = parseWitnessArgs([
    '--log',
    `${ORIGIN}=${formatVerifierKey(verifierOf(logKey))}`,
    '--port',
    '0',
    '--data-dir',
    dataDir,
  ]);
  const { server, verifierKey } = await startInProcess(opts);
  try {
    const tree = new MemoryTree();
    for (let i = 0; i < 50; i++) tree.appendEntry(Buffer.from(`a${i}`));
    const cp = async (size: number, root?: Uint8Array) =>
      formatNote(
        signNote(
          formatCheckpoint({
            origin: ORIGIN,
            size,
            root: root ?? (await treeHash(tree, size)),
            extensions: [],
          }),
          [ed25519Signer(logKey)],
        ),
      );
    const witness = cosignatureVerifier(parseVerifierKey(verifierKey));
    const ask = async (checkpoint: string, oldSize: number) =>
      requestCosignature({
        url: server.url,
        checkpoint,
        oldSize,
        witness,
        proof: (old) => consistencyProof(tree, old, Number(checkpoint.split('\n')[1])),
      });
    const r1 = await ask(await cp(20), 0);
    assert.equal(r1.witnessSize, 20);
    assert.equal(verifyNote(r1.checkpoint, [witness]).verified.length, 1);
    const r2 = await ask(await cp(40), 0); // stale oldSize: the client retries from 20
    assert.equal(r2.witnessSize, 40);
    await assert.rejects(
      ask(await cp(40, await treeHash(tree, 39)), 40),
      (e: unknown) => e instanceof WitnessRequestError && e.status === 422,
    );
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
