/**
 * The reason a worker aborts the handlers still running when its drain period ends. It is not a
 * failure of the run: the lifecycle hands such a run back instead of recording an error.
 */
export class WorkerShutdown extends Error {
  constructor() {
    super("The worker is shutting down; the run is handed back to be resumed by another worker.");
    this.name = "WorkerShutdown";
  }
}

export const isShutdown = (signal: AbortSignal) => signal.aborted && signal.reason instanceof WorkerShutdown;
