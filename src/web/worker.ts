/**
 * Worker-thread entry of the web UI: runs the jobs of src/web/jobs.ts one message at a time, off the
 * HTTP server's thread. Messages are { id, job } in, { id, result } or { id, error } out.
 */
import { parentPort } from 'node:worker_threads';
import { runJob, type Job } from './jobs.js';

const port = parentPort;
if (port) {
  port.on('message', (msg: { id: number; job: Job }) => {
    runJob(msg.job).then(
      (result) => port.postMessage({ id: msg.id, result }),
      (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
