// First-sync read-ahead: the pages after the one being written are fetched (and their rows
// built) meanwhile, so the writer never waits for the provider, nor the provider for the writer.
// Only fetching runs ahead; pages are taken, and written, strictly in order.

/** A fetched page: whether it was the last, and the cursor of the one after it. */
export interface AheadPage<C> {
  page: { done: boolean; cursor: C };
}

/**
 * Fetches pages one after another, each from the cursor of the one before, and keeps at most
 * `depth` of them fetched (or in flight) and not yet taken. It fetches no further after the last
 * page, after a page fails (taking that page throws its error), or once stopped.
 */
export class ReadAhead<P extends AheadPage<C>, C> {
  private readonly waiting: Array<Promise<P>> = [];
  /** Where to go on once a page is taken, when the chain paused for lack of room. */
  private paused?: { cursor: C };
  private stopped = false;
  private begun = false;

  constructor(
    private readonly fetch: (cursor: C) => Promise<P>,
    readonly depth: number,
  ) {}

  /** Starts the chain at `cursor` (once: later calls do nothing); it then goes on by itself. */
  begin(cursor: C): void {
    if (this.begun) return;
    this.begun = true;
    this.start(cursor);
  }

  private start(cursor: C): void {
    if (this.stopped) return;
    const next = this.fetch(cursor);
    this.waiting.push(next);
    next.then(
      (got) => {
        if (this.stopped || got.page.done) return;
        if (this.waiting.length < this.depth) this.start(got.page.cursor);
        else this.paused = { cursor: got.page.cursor };
      },
      // Handled where the page is taken; a page nobody takes (the run failed) is just dropped.
      () => undefined,
    );
  }

  /** The next page in order, or undefined when none is fetched ahead. */
  take(): Promise<P> | undefined {
    const next = this.waiting.shift();
    const paused = this.paused;
    this.paused = undefined;
    if (paused) this.start(paused.cursor);
    return next;
  }

  /** Fetches nothing more (pages in flight finish and are dropped). */
  stop(): void {
    this.stopped = true;
    this.paused = undefined;
  }
}
