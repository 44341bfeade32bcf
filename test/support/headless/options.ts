/** The headless client's options and their defaults. */
import type { RTCPeerConnectionConfig } from 'werift';

export interface HeadlessClientOptions {
  /** HTTP base URL of the Convene server, e.g. http://127.0.0.1:8080 (the socket is at /ws). */
  url: string;
  meetingId: string;
  displayName: string;
  /** The meeting passcode ('' for none). */
  passcode?: string;
  /** The host key of an anonymous meeting, to join as its host ('' for none). */
  hostKey?: string;
  /** A Cookie header for the WebSocket (a session or guest cookie), '' for none. */
  cookie?: string;
  /** An X-Forwarded-For header for the WebSocket (with a trusted-proxy server config), '' for none. */
  forwardedFor?: string;
  /** How long to wait in a lobby for a host to admit us (default 60 s). */
  lobbyTimeoutMs?: number;
  /**
   * Be a member of the meeting's MLS group and SFrame-encrypt every frame sent and decrypt every frame
   * received, with the client library's own code (default true, as in the web app). `false`: a client
   * outside the group (it uploads no KeyPackage and sends plaintext synthetic RTP), for load benchmarks
   * of hundreds of clients, where MLS work per join would dominate, and for tests of what an outsider sees.
   */
  e2ee?: boolean;
  /** Publish synthetic audio and video (default true). */
  publish?: boolean;
  /** Audio packets per second (default 50, i.e. 20 ms Opus frames). */
  audioPps?: number;
  /** Video packets per second (default 100: 25 fps, 4 packets per frame). */
  videoPps?: number;
  /** Bytes per video packet payload (default 1000). */
  videoPayloadBytes?: number;
  /** Bytes per audio packet payload (default 60). */
  audioPayloadBytes?: number;
  /** Reconnect and resume when the socket drops (default true). */
  reconnect?: boolean;
  /**
   * 'full' (default): every received packet goes through werift's SRTP decryption and RTP pipeline.
   * 'light': for load tests. Packets are counted by their clear-text SRTP header (SSRC, as announced in
   * the offer) and only every `lightDecryptEvery`-th packet is decrypted and parsed (for latency stamps);
   * the rest are dropped before decryption. This cuts the client's CPU per packet several times over.
   * `bytes` then counts whole SRTP packets, and stamp counters only cover the decrypted packets.
   */
  receiveMode?: 'full' | 'light';
  /** In 'light' mode, decrypt one packet in this many (default 25). */
  lightDecryptEvery?: number;
  /** Keep one latency sample per this many received packets (default 1 = every packet). */
  latencySampleEvery?: number;
  /** Most latency samples kept until takeLatencySamples() (default 100 000). */
  maxLatencySamples?: number;
  /** Timeout for joined / publishAnswer / ICE gathering (default 15 s). */
  requestTimeoutMs?: number;
  /** Extra werift PeerConnection settings (merged over the local-only defaults). */
  peerConfig?: RTCPeerConnectionConfig;
}

export type ResolvedOptions = Required<Omit<HeadlessClientOptions, 'peerConfig'>> & {
  peerConfig: RTCPeerConnectionConfig;
};

/** Local-only ICE: no STUN servers (no traffic off this machine), IPv4 host candidates only. */
const LOCAL_PEER_CONFIG: RTCPeerConnectionConfig = {
  iceServers: [],
  iceUseIpv4: true,
  iceUseIpv6: false,
  bundlePolicy: 'max-bundle',
};

/** Fills in the defaults; options given as `undefined` keep their defaults. */
export function resolveOptions(opts: HeadlessClientOptions): ResolvedOptions {
  return {
    e2ee: true,
    publish: true,
    passcode: '',
    hostKey: '',
    cookie: '',
    forwardedFor: '',
    lobbyTimeoutMs: 60_000,
    audioPps: 50,
    videoPps: 100,
    videoPayloadBytes: 1000,
    audioPayloadBytes: 60,
    reconnect: true,
    latencySampleEvery: 1,
    maxLatencySamples: 100_000,
    receiveMode: 'full',
    lightDecryptEvery: 25,
    requestTimeoutMs: 15_000,
    ...(Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as HeadlessClientOptions),
    peerConfig: {
      ...LOCAL_PEER_CONFIG,
      ...opts.peerConfig,
    },
  };
}
