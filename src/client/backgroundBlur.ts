/**
 * Background blur: a camera track in, a track out in which everything but the person is blurred.
 * The person is found by MediaPipe's selfie-segmentation model, whose files Convene serves from its
 * own origin (blurAssets.ts). It all runs on this device: no frame leaves it unblurred for this.
 *
 * Two ways to carry frames, the same drawing in both:
 * - where the browser has MediaStreamTrackProcessor and MediaStreamTrackGenerator (Chromium), each
 *   camera frame is read as it arrives and the blurred frame is written out. Nothing depends on
 *   timers or painting, so a background tab keeps sending video at the camera's rate;
 * - elsewhere, a hidden <video> plays the camera and each new frame is drawn to a canvas whose
 *   captureStream() is the output (a background tab slows it down, as the browser throttles it).
 */
import { ClientError } from './ClientError.js';
import { BLUR_LOADER, BLUR_MODEL_SELECTION, blurAssetUrl, blurRadius } from './blurAssets.js';

type SegmentationInput = HTMLVideoElement | HTMLCanvasElement | ImageBitmap;

/** The part of the package's `SelfieSegmentation` class used here (see its index.d.ts). */
interface SelfieSegmentation {
  setOptions(options: { modelSelection?: number; selfieMode?: boolean }): void;
  onResults(listener: (results: { segmentationMask: CanvasImageSource }) => void): void;
  initialize(): Promise<void>;
  send(inputs: { image: SegmentationInput }): Promise<void>;
  close(): Promise<void>;
}
type SelfieSegmentationClass = new (config: { locateFile: (file: string) => string }) => SelfieSegmentation;

/** Chromium's insertable streams for raw video (not in TypeScript's DOM library yet). */
interface TrackProcessorClass {
  new (init: { track: MediaStreamTrack; maxBufferSize?: number }): { readable: ReadableStream<VideoFrame> };
}
interface TrackGeneratorClass {
  new (init: { kind: 'video' }): MediaStreamTrack & { writable: WritableStream<VideoFrame> };
}
interface InsertableStreams {
  MediaStreamTrackProcessor?: TrackProcessorClass;
  MediaStreamTrackGenerator?: TrackGeneratorClass;
}

/** Segmentation runs on a copy this wide (the model's own input is 256x144): less to upload per frame. */
const SEGMENTATION_WIDTH = 256;

let loaderScript: Promise<SelfieSegmentationClass> | null = null;

/** Adds the package's loader script once (a same-origin <script>, allowed by `script-src 'self'`). */
function loadSegmentationClass(): Promise<SelfieSegmentationClass> {
  loaderScript ??= new Promise<SelfieSegmentationClass>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = blurAssetUrl(BLUR_LOADER);
    script.async = true;
    script.onload = () => {
      const found = (globalThis as { SelfieSegmentation?: SelfieSegmentationClass }).SelfieSegmentation;
      if (found) resolve(found);
      else reject(new Error('The segmentation script did not define SelfieSegmentation.'));
    };
    script.onerror = () => reject(new Error(`Could not load ${script.src}.`));
    document.head.append(script);
  }).catch((error: unknown) => {
    loaderScript = null;
    throw error;
  });
  return loaderScript;
}

export interface BlurOptions {
  /** Called once if blurring stops working mid-stream; the output track is then ended. */
  onFailure?: (error: ClientError) => void;
}

/** One pipeline: its output track, where its errors go, and one idempotent stop that ends the output. */
class Run {
  stopped = false;
  onError: (error: unknown) => void = () => undefined;

  constructor(
    readonly output: MediaStreamTrack,
    private readonly release: () => void,
  ) {}

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.release();
    this.output.stop();
  }
}

/** One loaded model that blurs one camera track at a time. */
export class BackgroundBlur {
  private mask: CanvasImageSource | null = null;
  private pipeline: Run | null = null;
  private closedValue = false;

  private constructor(private readonly segmenter: SelfieSegmentation) {
    segmenter.onResults((results) => {
      this.mask = results.segmentationMask;
    });
  }

  /** Loads the script, the WebAssembly runtime and the model; rejects with `blur_failed`. */
  static async load(): Promise<BackgroundBlur> {
    try {
      const Segmentation = await loadSegmentationClass();
      const segmenter = new Segmentation({ locateFile: blurAssetUrl });
      segmenter.setOptions({ modelSelection: BLUR_MODEL_SELECTION, selfieMode: false });
      await segmenter.initialize();
      return new BackgroundBlur(segmenter);
    } catch (error) {
      throw new ClientError('blur_failed', 'Background blur could not start on this device.', {
        cause: error,
      });
    }
  }

  get closed(): boolean {
    return this.closedValue;
  }

  /**
   * Starts blurring `source` and returns the blurred track; a previous pipeline is stopped first.
   * The source track stays the caller's: stopping the pipeline never stops the camera.
   */
  apply(source: MediaStreamTrack, options: BlurOptions = {}): MediaStreamTrack {
    if (this.closedValue) throw new ClientError('blur_failed', 'Background blur was closed.');
    this.release();
    const streams = globalThis as InsertableStreams;
    const run =
      streams.MediaStreamTrackProcessor && streams.MediaStreamTrackGenerator
        ? this.runInsertable(source, streams.MediaStreamTrackProcessor, streams.MediaStreamTrackGenerator)
        : this.runCanvas(source);
    run.onError = (error) => {
      if (run.stopped) return;
      run.stop();
      if (this.pipeline === run) this.pipeline = null;
      options.onFailure?.(ClientError.from(error, 'blur_failed'));
    };
    this.pipeline = run;
    return run.output;
  }

  /** Stops the current pipeline (its output track ends); the model stays loaded for the next one. */
  release(): void {
    this.pipeline?.stop();
    this.pipeline = null;
  }

  close(): void {
    if (this.closedValue) return;
    this.closedValue = true;
    this.release();
    void this.segmenter.close().catch(() => undefined);
  }

  /**
   * Segments a small copy of `image` and draws the blurred composite of `image` into `ctx`. The
   * segmentation is awaited: the package's runtime holds the page's thread while it runs, so drawing
   * frames with the previous mask meanwhile did not raise the frame rate (tried, bench:blur).
   */
  private async drawBlurred(
    ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D,
    image: VideoFrame | HTMLVideoElement,
    width: number,
    height: number,
  ): Promise<void> {
    const small = await createImageBitmap(image, {
      resizeWidth: SEGMENTATION_WIDTH,
      resizeHeight: Math.max(1, Math.round((SEGMENTATION_WIDTH * height) / width)),
      resizeQuality: 'low',
    });
    try {
      await this.segmenter.send({ image: small });
    } finally {
      small.close();
    }
    const mask = this.mask;
    if (!mask) throw new Error('The segmentation gave no mask.');
    if (ctx.canvas.width !== width || ctx.canvas.height !== height) {
      ctx.canvas.width = width;
      ctx.canvas.height = height;
    }
    // The mask's alpha is the person: keep the sharp frame there, put a blurred frame behind it.
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(mask, 0, 0, width, height);
    ctx.globalCompositeOperation = 'source-in';
    ctx.drawImage(image, 0, 0, width, height);
    ctx.globalCompositeOperation = 'destination-over';
    ctx.filter = `blur(${blurRadius(width, height)}px)`;
    ctx.drawImage(image, 0, 0, width, height);
    ctx.restore();
  }

  private runInsertable(
    source: MediaStreamTrack,
    Processor: TrackProcessorClass,
    Generator: TrackGeneratorClass,
  ): Run {
    const reader = new Processor({ track: source, maxBufferSize: 1 }).readable.getReader();
    const output = new Generator({ kind: 'video' });
    const writer = output.writable.getWriter();
    const canvas = new OffscreenCanvas(1, 1);
    const ctx = canvas.getContext('2d');
    const run = new Run(output, () => {
      void reader.cancel().catch(() => undefined);
      void writer.close().catch(() => undefined);
    });
    const loop = async (): Promise<void> => {
      if (!ctx) throw new Error('No 2D canvas.');
      while (!run.stopped) {
        const { value: frame, done } = await reader.read();
        if (done || !frame) break;
        try {
          // A camera turned off sends nothing anyway (the output is disabled too): skip the work.
          if (!source.enabled || run.stopped) continue;
          await this.drawBlurred(ctx, frame, frame.displayWidth, frame.displayHeight);
          if (run.stopped) continue;
          const timestamp = frame.timestamp;
          await writer.write(new VideoFrame(canvas, { timestamp }));
        } finally {
          frame.close();
        }
      }
    };
    loop().catch((error: unknown) => {
      if (!run.stopped) run.onError(error);
    });
    return run;
  }

  private runCanvas(source: MediaStreamTrack): Run {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([source]);
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    const output = canvas.captureStream().getVideoTracks()[0];
    if (!ctx || !output) throw new ClientError('blur_failed', 'This browser cannot draw video to a canvas.');
    const run = new Run(output, () => {
      video.srcObject = null;
    });
    const next = (): void => {
      if (run.stopped) return;
      if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => void tick());
      else setTimeout(() => void tick(), 33);
    };
    const tick = async (): Promise<void> => {
      if (run.stopped) return;
      try {
        if (source.enabled && video.videoWidth > 0) {
          await this.drawBlurred(ctx, video, video.videoWidth, video.videoHeight);
        }
        next();
      } catch (error) {
        if (!run.stopped) run.onError(error);
      }
    };
    video.play().then(next, (error: unknown) => run.onError(error));
    return run;
  }
}
