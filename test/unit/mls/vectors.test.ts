/**
 * RFC 9420 key schedule test vectors (mlswg/mls-implementations, test/fixtures/mls/README.md) for our
 * cipher suite, through the ts-mls functions the group uses: every epoch's secrets, the epoch
 * authenticator the safety code comes from, and the exporter the SFrame key comes from.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { mlsExporter } from 'ts-mls';
import { decodeGroupContext, encodeGroupContext } from 'ts-mls/groupContext.js';
import { initializeEpoch } from 'ts-mls/keySchedule.js';
import { cipherSuite } from '../../../src/e2ee/mls/index.js';

interface Epoch {
  readonly group_context: string;
  readonly commit_secret: string;
  readonly psk_secret: string;
  readonly [output: string]: string | { label: string; context: string; length: number; secret: string };
}
interface SuiteVectors {
  readonly cipher_suite: number;
  readonly group_id: string;
  readonly initial_init_secret: string;
  readonly epochs: readonly Epoch[];
}

const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/mls/key-schedule.json', import.meta.url), 'utf8'),
) as SuiteVectors[];
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

test('RFC 9420 key schedule vectors, cipher suite 1: every epoch, every secret, the exporter', async () => {
  const suite = vectors.find((v) => v.cipher_suite === 1);
  assert.ok(suite, 'the fixture has cipher suite 1');
  assert.equal(suite.epochs.length, 5);
  const cs = await cipherSuite();
  let initSecret: Uint8Array = bytes(suite.initial_init_secret);
  for (const [i, epoch] of suite.epochs.entries()) {
    const decoded = decodeGroupContext(bytes(epoch.group_context), 0);
    assert.ok(decoded, `epoch ${i}: group context decodes`);
    const context = decoded[0];
    assert.equal(hex(context.groupId), suite.group_id.toUpperCase());
    assert.equal(context.epoch, BigInt(i));
    assert.equal(hex(encodeGroupContext(context)), epoch.group_context.toUpperCase());
    const secrets = await initializeEpoch(
      initSecret,
      bytes(epoch.commit_secret as string),
      context,
      bytes(epoch.psk_secret as string),
      cs.kdf,
    );
    const ks = secrets.keySchedule;
    const expect = (name: string, got: Uint8Array) =>
      assert.equal(hex(got), (epoch[name] as string).toUpperCase(), `epoch ${i}: ${name}`);
    expect('joiner_secret', secrets.joinerSecret);
    expect('welcome_secret', secrets.welcomeSecret);
    expect('encryption_secret', secrets.encryptionSecret);
    expect('init_secret', ks.initSecret);
    expect('sender_data_secret', ks.senderDataSecret);
    expect('exporter_secret', ks.exporterSecret);
    expect('epoch_authenticator', ks.epochAuthenticator);
    expect('external_secret', ks.externalSecret);
    expect('confirmation_key', ks.confirmationKey);
    expect('membership_key', ks.membershipKey);
    expect('resumption_psk', ks.resumptionPsk);
    const exporter = epoch.exporter as { label: string; context: string; length: number; secret: string };
    const exported = await mlsExporter(
      ks.exporterSecret,
      exporter.label,
      bytes(exporter.context),
      exporter.length,
      cs,
    );
    assert.equal(hex(exported), exporter.secret.toUpperCase(), `epoch ${i}: exporter`);
    initSecret = ks.initSecret;
  }
});
