/**
 * The MediaEngine on Janus: either a local Janus that Convene starts and supervises, or a list of
 * existing Janus nodes. Rooms go to the node with the fewest rooms.
 */
import os from 'node:os';
import type { Logger } from 'pino';
import { TypedEmitter } from '../../util/TypedEmitter.js';
import type { MediaEngine, MediaEngineEvents, MediaRoomOptions } from '../types.js';
import { JanusNode } from './JanusNode.js';
import { JanusProcess, defaultMediaIp } from './JanusProcess.js';
import { JanusRoom } from './JanusRoom.js';

export interface JanusEngineOptions {
  /** Existing Janus WebSocket URLs; when empty a local Janus is started. */
  urls: readonly string[];
  apiSecret?: string | undefined;
  adminKey?: string | undefined;
  binary: string;
  dataDir: string;
  mediaIp?: string | undefined;
  rtpPortRange: string;
  eventLoops?: number | undefined;
  maxPublishersPerRoom: number;
  logger: Logger;
}

export class JanusEngine extends TypedEmitter<MediaEngineEvents> implements MediaEngine {
  readonly #nodes: JanusNode[];
  readonly #process: JanusProcess | undefined;
  readonly #options: JanusEngineOptions;
  #closed = false;

  private constructor(options: JanusEngineOptions, nodes: JanusNode[], process: JanusProcess | undefined) {
    super();
    this.#options = options;
    this.#nodes = nodes;
    this.#process = process;
    for (const node of nodes) {
      node.on('down', () => this.emit('nodeDown', node.url));
      node.on('restored', () => this.emit('nodeRestored', node.url));
    }
  }

  static async start(options: JanusEngineOptions): Promise<JanusEngine> {
    const log = options.logger;
    if (options.urls.length > 0) {
      const nodes = options.urls.map((url) => new JanusNode(url, options.apiSecret, options.adminKey, log));
      await Promise.all(nodes.map((n) => n.start(Date.now() + 15_000)));
      return new JanusEngine(options, nodes, undefined);
    }
    const mediaIp = options.mediaIp ?? defaultMediaIp();
    if (!mediaIp) {
      throw new Error(
        'No non-loopback IPv4 address found for media. Janus ignores loopback for ICE: set CONVENE_MEDIA_IP ' +
          'to an address of this machine that browsers can reach.',
      );
    }
    const process = new JanusProcess({
      binary: options.binary,
      dataDir: options.dataDir,
      mediaIp,
      rtpPortRange: options.rtpPortRange,
      eventLoops: options.eventLoops ?? Math.max(1, os.availableParallelism()),
      logger: log,
    });
    await process.start();
    const node = new JanusNode(process.url, process.apiSecret, process.adminKey, log);
    try {
      await node.start(Date.now() + 15_000);
    } catch (err) {
      await process.close();
      throw new Error(`Janus did not start: ${String(err)}\n${process.recentOutput}`);
    }
    return new JanusEngine(options, [node], process);
  }

  get closed(): boolean {
    return this.#closed;
  }
  get ready(): boolean {
    return !this.#closed && this.#nodes.every((n) => n.up);
  }
  /** The local Janus process id, when Convene supervises one (for tests and benchmarks). */
  get janusPid(): number | undefined {
    return this.#process?.pid;
  }
  /** How to reach the supervised Janus (URL, API secret, admin key), when Convene runs one. */
  get localProcess(): Pick<JanusProcess, 'url' | 'apiSecret' | 'adminKey'> | undefined {
    return this.#process;
  }

  async createRoom(options: MediaRoomOptions = {}): Promise<JanusRoom> {
    if (this.#closed) throw new Error('media engine closed');
    const up = this.#nodes.filter((n) => n.up);
    const node = up.sort((a, b) => a.rooms.size - b.rooms.size)[0];
    if (!node) throw new Error('no media node is available');
    const room = new JanusRoom(
      node,
      this.#options.maxPublishersPerRoom,
      this.#options.logger,
      options.requireE2ee === true,
    );
    await room.create();
    return room;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const node of this.#nodes) for (const room of [...node.rooms]) room.close();
    for (const node of this.#nodes) node.close();
    await this.#process?.close();
    this.emit('close');
    this.removeAllListeners();
  }
}
