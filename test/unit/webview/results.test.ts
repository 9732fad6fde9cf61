import assert from 'node:assert/strict';
import { PAGE_SIZE, ResultsModel } from '../../../src/webview/model/results';
import { navigate, RowLayout } from '../../../src/webview/model/rows';
import { dayLabel } from '../../../src/webview/model/format';
import type { ResultsShape, TaskSnapshot } from '../../../src/webview/protocol';
import { snapshot } from './helpers';

const shape = (total: number, version = 1): ResultsShape => ({ version, total, days: [100, total], today: 100 });
const tasks = (from: number, count: number, prefix = 't') => Array.from({ length: count }, (_, i) => snapshot({ id: `${prefix}${from + i}` }));
const ids = (m: ResultsModel, from: number, to: number) => Array.from({ length: to - from }, (_, i) => m.at(from + i)?.id);

describe('webview/model/results: the page holds only what is near the screen', () => {
  it('asks for each missing page once per version, and again after the list changed', () => {
    const m = new ResultsModel();
    m.reset(1, shape(10_000), 0, tasks(0, PAGE_SIZE));
    assert.deepEqual(m.missingPages(0, 30), [], 'the first page came with the results');
    assert.deepEqual(m.missingPages(40, 120), [1, 2]);
    assert.deepEqual(m.missingPages(40, 120), [], 'asked already');
    assert.equal(m.applyPage(1, 0, 50, tasks(50, 50)), false, 'a page of an older version is refused');
    assert.equal(m.applyPage(1, 1, 50, tasks(50, 50)), true);
    assert.equal(m.at(99)?.id, 't99');
    m.applyInserted(1, shape(10_001, 2), 0, snapshot({ id: 'new' }));
    assert.deepEqual(ids(m, 0, 3), ['new', 't0', 't1']);
    assert.equal(m.at(100)?.id, 't99');
    assert.deepEqual(m.missingPages(100, 160), [2, 3], 'page numbers are asked for again in the new version');
    assert.deepEqual(m.missingPages(9_990, 20_000), [199, 200], 'never past the end (10,001 tasks: the last page holds one)');
  });

  it('moves loaded tasks when one leaves the list, and replaces a changed task in place', () => {
    const m = new ResultsModel();
    m.reset(3, shape(100), 0, tasks(0, 100));
    assert.equal(m.applyRemoved(2, shape(99, 2), 10, 't10'), false, 'about another query');
    assert.equal(m.applyRemoved(3, shape(99, 2), 10, 't10'), true);
    assert.deepEqual(ids(m, 9, 12), ['t9', 't11', 't12']);
    assert.equal(m.find('t10'), undefined);
    assert.equal(m.find('t11')?.index, 10);
    assert.equal(m.applyTask({ ...m.at(10)!, progress: 50 } as TaskSnapshot), true);
    assert.equal(m.at(10)?.progress, 50);
    assert.equal(m.applyTask(snapshot({ id: 'elsewhere' })), false);
  });

  it('forgets tasks far from the screen, so memory follows the screen and not the history', () => {
    const m = new ResultsModel();
    m.reset(1, shape(10_000), 0, tasks(0, 50));
    for (let page = 1; page < 200; page++) m.applyPage(1, 1, page * 50, tasks(page * 50, 50));
    assert.equal(m.loadedCount, 10_000);
    m.retain(5_000, 5_020);
    assert.ok(m.loadedCount <= 3 * 2 * PAGE_SIZE + 21, `${m.loadedCount} kept`);
    assert.equal(m.at(0), undefined);
    assert.equal(m.at(5_010)?.id, 't5010');
    assert.deepEqual(m.missingPages(0, 10), [0], 'a forgotten page is asked for again');
  });
});

describe('webview/model/rows: days, rows and the keyboard', () => {
  // Today 3 tasks, yesterday 5, one earlier day 2.
  const days = [100, 3, 99, 5, 90, 2];

  it('puts a header before each day and the day tasks in rows of the column count', () => {
    const list = new RowLayout(days, 1);
    assert.equal(list.rows.length, 3 + 10);
    assert.deepEqual(list.rows[0], { kind: 'header', day: 100, count: 3 });
    assert.equal(list.rowOf(3), 5, 'yesterday first task: after 1 header + 3 items + 1 header');
    const grid = new RowLayout(days, 2);
    assert.deepEqual(
      grid.rows.map((r) => (r.kind === 'header' ? `h${r.day}` : `${r.start}+${r.count}`)),
      ['h100', '0+2', '2+1', 'h99', '3+2', '5+2', '7+1', 'h90', '8+2'],
    );
    assert.deepEqual(grid.itemsIn(0, 3), { first: 0, last: 2 });
  });

  it('moves the focus by arrows, rows, pages, Home and End, across day headers', () => {
    const list = new RowLayout(days, 1);
    assert.equal(navigate(list, 10, 2, 'ArrowDown', 5), 3, 'down across a header');
    assert.equal(navigate(list, 10, 3, 'ArrowUp', 5), 2);
    assert.equal(navigate(list, 10, 0, 'ArrowUp', 5), 0, 'stays at the top');
    assert.equal(navigate(list, 10, 9, 'ArrowDown', 5), 9, 'stays at the end');
    assert.equal(navigate(list, 10, 4, 'ArrowRight', 5), 4, 'no sideways in a list');
    assert.equal(navigate(list, 10, 1, 'PageDown', 5), 6);
    assert.equal(navigate(list, 10, 5, 'End', 5), 9);
    assert.equal(navigate(list, 10, 5, 'Home', 5), 0);
    const grid = new RowLayout(days, 2);
    assert.equal(navigate(grid, 10, 1, 'ArrowDown', 2), 2, 'the short row below: its last tile');
    assert.equal(navigate(grid, 10, 2, 'ArrowDown', 2), 3, 'into the next day, first column');
    assert.equal(navigate(grid, 10, 4, 'ArrowDown', 2), 6, 'same column');
    assert.equal(navigate(grid, 10, 6, 'ArrowUp', 2), 4);
    assert.equal(navigate(grid, 10, 4, 'ArrowLeft', 2), 3);
    assert.equal(navigate(grid, 10, 3, 'ArrowRight', 2), 4);
    assert.equal(navigate(grid, 0, 0, 'ArrowDown', 2), -1, 'nothing to focus');
  });

  it('labels days as today, yesterday, or the date in the page language', () => {
    const words = { today: '今天', yesterday: '昨天' };
    const today = Math.floor(Date.UTC(2026, 2, 10) / 86_400_000);
    assert.equal(dayLabel(today, today, words, 'zh-CN'), '今天');
    assert.equal(dayLabel(today + 1, today, words, 'zh-CN'), '今天');
    assert.equal(dayLabel(today - 1, today, words, 'zh-CN'), '昨天');
    assert.match(dayLabel(today - 3, today, words, 'zh-CN'), /3月7日/);
    assert.match(dayLabel(today - 3, today, words, 'en'), /Mar 7/);
    assert.match(dayLabel(today - 400, today, words, 'en'), /2025/);
  });
});
