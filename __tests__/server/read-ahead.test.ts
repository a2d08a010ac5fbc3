// The first sync's read-ahead chain (sync/read-ahead.ts) on its own: pages come out in order,
// no more than `depth` wait at once, and nothing is fetched after the last page, after a
// failure, or once the run stopped it. Its use in a real sync is in sync-read-ahead.test.ts.
import { describe, expect, it } from 'vitest';
import { ReadAhead, type AheadPage } from '../../src/server/sync/read-ahead';

type Page = AheadPage<number> & { n: number };

/** Pages 1..last, each answered only when the test says so; `fail` pages reject. */
function provider(last: number, fail?: number) {
  const asked: number[] = [];
  const answers = new Map<number, { resolve(): void }>();
  const fetch = (cursor: number) =>
    new Promise<Page>((resolve, reject) => {
      asked.push(cursor);
      answers.set(cursor, {
        resolve: () => (cursor === fail ? reject(new Error(`page ${cursor} failed`)) : resolve({ n: cursor, page: { done: cursor === last, cursor: cursor + 1 } })),
      });
    });
  /** Answers every page asked so far and lets the chain react. */
  const answerAll = async () => {
    for (let round = 0; round < 5; round++) {
      for (const [cursor, answer] of answers) {
        answers.delete(cursor);
        answer.resolve();
      }
      await new Promise((r) => setImmediate(r));
    }
  };
  return { fetch, asked, answerAll };
}

describe('read-ahead', () => {
  it('hands pages over in order and keeps at most `depth` fetched ahead', async () => {
    const p = provider(10);
    const ahead = new ReadAhead<Page, number>(p.fetch, 2);
    ahead.begin(2);
    await p.answerAll();
    // Pages 2 and 3 are waiting; the chain paused rather than fetch page 4.
    expect(p.asked).toEqual([2, 3]);
    const taken: number[] = [];
    for (let n = 2; n <= 10; n++) {
      const next = ahead.take();
      expect(next).toBeDefined();
      taken.push((await next!).n);
      await p.answerAll();
      expect(p.asked.length - taken.length).toBeLessThanOrEqual(2);
    }
    expect(taken).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The last page was done: nothing past it was asked for, nothing more waits.
    expect(p.asked).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ahead.take()).toBeUndefined();
  });

  it('asks for the next page while the one before is still being taken care of (depth 1)', async () => {
    const p = provider(4);
    const ahead = new ReadAhead<Page, number>(p.fetch, 1);
    ahead.begin(2);
    await p.answerAll();
    expect(p.asked).toEqual([2]);
    const page2 = ahead.take();
    // Taking page 2 makes room: page 3 is on its way before page 2 is written.
    await p.answerAll();
    expect((await page2!).n).toBe(2);
    expect(p.asked).toEqual([2, 3]);
  });

  it('throws the failure where the failed page is taken, and fetches nothing after it', async () => {
    const p = provider(10, 3);
    const ahead = new ReadAhead<Page, number>(p.fetch, 3);
    ahead.begin(2);
    await p.answerAll();
    expect(p.asked).toEqual([2, 3]);
    expect((await ahead.take()!).n).toBe(2);
    await expect(ahead.take()!).rejects.toThrow('page 3 failed');
    await p.answerAll();
    expect(p.asked).toEqual([2, 3]);
    expect(ahead.take()).toBeUndefined();
  });

  it('once stopped, lets the page in flight finish and fetches nothing more', async () => {
    const p = provider(10);
    const ahead = new ReadAhead<Page, number>(p.fetch, 2);
    ahead.begin(2);
    ahead.stop();
    await p.answerAll();
    expect(p.asked).toEqual([2]);
    ahead.take();
    await p.answerAll();
    expect(p.asked).toEqual([2]);
  });

  it('begins once: a second begin does not start a second chain', async () => {
    const p = provider(10);
    const ahead = new ReadAhead<Page, number>(p.fetch, 2);
    ahead.begin(2);
    ahead.begin(5);
    await p.answerAll();
    expect(p.asked).toEqual([2, 3]);
  });
});
