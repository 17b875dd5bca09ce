/**
 * How the server gets its jobs done: in a worker thread (the default: the request thread never runs
 * an analysis), or in process (tests). One job at a time per worker, with a time budget: a job that
 * runs past it ends the worker, which is started again for the next job.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runJob, type Job, type JobResult } from './jobs.js';

export interface Analyser {
  run(job: Job): Promise<JobResult>;
  close(): Promise<void>;
}

/** Runs jobs on the calling thread (tests only: the server's requests wait for them). */
export function inlineAnalyser(): Analyser {
  return { run: (job) => runJob(job), close: () => Promise.resolve() };
}

export interface WorkerOptions {
  /** A job running longer than this is stopped (default 300 s). */
  readonly timeoutMs?: number;
  /** Heap limit of the worker in MB (default: Node's). */
  readonly maxHeapMb?: number;
}

/** The compiled worker beside this module (dist/web/worker.js). */
export function workerScript(): URL {
  return new URL('./worker.js', import.meta.url);
}

export function workerAnalyser(options: WorkerOptions = {}): Analyser {
  const script = workerScript();
  if (!existsSync(fileURLToPath(script))) throw new Error(`the web UI worker ${fileURLToPath(script)} is missing: run npm run build`);
  const timeoutMs = options.timeoutMs ?? 300_000;
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  const failAll = (message: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new Error(message));
      pending.delete(id);
    }
  };
  const start = (): Worker => {
    const w = new Worker(script, options.maxHeapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } } : {});
    w.unref();
    w.on('message', (msg: { id: number; result?: JobResult; error?: string }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.result) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'the analysis failed'));
    });
    w.on('error', (err) => {
      worker = undefined;
      failAll(`the analysis worker failed: ${err.message}`);
    });
    w.on('exit', () => {
      if (worker === w) worker = undefined;
      failAll('the analysis worker stopped');
    });
    return w;
  };
  return {
    run(job) {
      worker ??= start();
      const w = worker;
      const id = nextId++;
      return new Promise<JobResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the analysis took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`));
          if (worker === w) worker = undefined;
          void w.terminate();
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        w.postMessage({ id, job });
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      failAll('the server is closing');
      if (w) await w.terminate();
    },
  };
}
