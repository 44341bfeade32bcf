/**
 * The SFrame worker: an RTCRtpScriptTransform worker (WebRTC Encoded Transform) that encrypts outgoing
 * and decrypts incoming encoded frames with one key ring shared by all transforms of this worker.
 * Bundle it as its own entry and create it with `new Worker(url)`. Never passes on a frame it could
 * not protect or authenticate: a sender without a key sends nothing, a receiver drops what fails.
 */
import { SFrameKeyRing } from '../../e2ee/sframe/keyRing.js';
import { createFrameTransform } from './frameTransform.js';
import { randomSenderContext as randomContext } from './senderContext.js';
import {
  emptyCounters,
  type FromWorker,
  type SFrameTransformOptions,
  type ToWorker,
  type TransformCounters,
} from './messages.js';

// The project's TypeScript lib is DOM, not WebWorker, so the worker-only types are declared here.
interface EncodedFrame {
  data: ArrayBuffer;
}
interface ScriptTransformer {
  readonly readable: ReadableStream<EncodedFrame>;
  readonly writable: WritableStream<EncodedFrame>;
  readonly options: unknown;
  sendKeyFrameRequest(): Promise<void>;
  /** Senders: asks the encoder for a keyframe (not in every browser yet, hence optional). */
  generateKeyFrame?(): Promise<unknown>;
}
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
  addEventListener(
    type: 'rtctransform',
    listener: (event: Event & { transformer: ScriptTransformer }) => void,
  ): void;
  postMessage(message: FromWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
let ring = new SFrameKeyRing({ senderContext: randomContext() });
const counters = new Map<string, TransformCounters>();
let changed = false;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

function snapshot(): Record<string, TransformCounters> {
  return Object.fromEntries(counters);
}

scope.addEventListener('message', (event) => {
  const msg = event.data;
  try {
    switch (msg.type) {
      case 'configure':
        // A new layout or suite changes every KID: the old keys would be meaningless, so start empty.
        ring = new SFrameKeyRing({
          ...(msg.suite !== undefined && { suite: msg.suite }),
          ...(msg.epochBits !== undefined &&
            msg.indexBits !== undefined && {
              layout: { epochBits: msg.epochBits, indexBits: msg.indexBits },
            }),
          ...(msg.retainPreviousMs !== undefined && { retainPreviousMs: msg.retainPreviousMs }),
          senderContext: msg.senderContext ?? randomContext(),
        });
        break;
      case 'setEpoch':
        ring.setEpoch(msg.epoch, msg.secret, msg.senderIndex);
        break;
      case 'clear':
        ring.clear();
        break;
      case 'getCounters':
        post({ type: 'counters', counters: snapshot() });
        break;
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});

function parseOptions(options: unknown): SFrameTransformOptions {
  const o = (options ?? {}) as Partial<Record<keyof SFrameTransformOptions, unknown>>;
  if ((o.operation !== 'encrypt' && o.operation !== 'decrypt') || (o.kind !== 'audio' && o.kind !== 'video'))
    throw new TypeError('SFrame transform options need operation encrypt|decrypt and kind audio|video');
  return {
    operation: o.operation,
    kind: o.kind,
    id: typeof o.id === 'string' ? o.id : `${o.operation}-${o.kind}`,
  };
}

scope.addEventListener('rtctransform', (event) => {
  const transformer = event.transformer;
  const options = parseOptions(transformer.options);
  const c = counters.get(options.id) ?? emptyCounters();
  counters.set(options.id, c);
  const process = createFrameTransform(() => ring, options, c);

  const transform = async (
    frame: EncodedFrame,
    controller: TransformStreamDefaultController<EncodedFrame>,
  ) => {
    changed = true;
    const out = await process(new Uint8Array(frame.data));
    if (out.requestKeyFrame) transformer.sendKeyFrameRequest().catch(() => undefined);
    if (out.generateKeyFrame) transformer.generateKeyFrame?.().catch(() => undefined);
    if (!out.data) return;
    // The frame takes a whole ArrayBuffer: copy only if the result is a view into a larger one.
    const d = out.data;
    frame.data = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? d.buffer : d.slice().buffer;
    controller.enqueue(frame);
  };

  transformer.readable
    .pipeThrough(new TransformStream<EncodedFrame, EncodedFrame>({ transform }))
    .pipeTo(transformer.writable)
    .catch((err: unknown) => post({ type: 'error', message: `transform ${options.id}: ${String(err)}` }));
});

// Counters go out once a second while frames flow, so the page can show E2EE health without polling.
setInterval(() => {
  if (!changed) return;
  changed = false;
  post({ type: 'counters', counters: snapshot() });
}, 1000);
