import { digestLines, norwegianDate, renderDigest, taskLink, type DigestItem } from './digest.js';

const P = '2b1f6a52-5c7e-4d0e-9a55-0f3c2d1e4b6a';
const item = (over: Partial<DigestItem>): DigestItem => ({
  kind: 'due-soon',
  placementId: P,
  taskId: 'samtale#1',
  title: 'Samtale med barnet',
  dueOn: '2026-07-03',
  ...over,
});

describe('the daily digest text', () => {
  it('links to the task in the app with encoded segments', () => {
    expect(taskLink('https://app.example', P, 'samtale#2')).toBe(
      `https://app.example/oppgaver/${P}/samtale%232`,
    );
    expect(norwegianDate('2026-07-03')).toBe('03.07.2026');
  });

  it('lists a task once, under its most urgent kind, most urgent section first, soonest due first', () => {
    const lines = digestLines(
      [
        item({ kind: 'due-soon', taskId: 'a#1', dueOn: '2026-07-09' }),
        item({ kind: 'due-soon', taskId: 'b#1', dueOn: '2026-07-05' }),
        item({ kind: 'overdue', taskId: 'c#1', dueOn: '2026-06-01' }),
        item({ kind: 'escalated', taskId: 'c#1', dueOn: '2026-06-01' }),
        item({ kind: 'due-soon', taskId: 'c#1', dueOn: '2026-06-01' }),
      ],
      'https://app.example',
    );
    expect(lines.map((l) => `${l.kind} ${l.link.split('/').pop()} ${l.dueOn}`)).toEqual([
      'escalated c%231 2026-06-01',
      'due-soon b%231 2026-07-05',
      'due-soon a%231 2026-07-09',
    ]);
  });

  it('writes a Norwegian subject and body, plain and HTML, with the title, the date and the link', () => {
    const one = renderDigest([item({})], { baseUrl: 'https://app.example', date: '2026-07-01' });
    expect(one.subject).toBe('Omsorgspakken 01.07.2026: 1 oppgave trenger oppfølging');
    expect(one.text).toContain('Fristen nærmer seg (1):\n- Samtale med barnet, frist 03.07.2026\n');
    expect(one.text).toContain(`  https://app.example/oppgaver/${P}/samtale%231`);
    expect(one.html).toContain(
      `<a href="https://app.example/oppgaver/${P}/samtale%231">Samtale med barnet</a>`,
    );
    const two = renderDigest([item({}), item({ taskId: 'x#1', kind: 'overdue' })], {
      baseUrl: 'https://app.example',
      date: '2026-07-01',
    });
    expect(two.subject).toBe('Omsorgspakken 01.07.2026: 2 oppgaver trenger oppfølging');
    expect(two.text.indexOf('Fristen er passert')).toBeLessThan(two.text.indexOf('Fristen nærmer seg'));
  });

  it('escapes HTML in titles', () => {
    const { html } = renderDigest([item({ title: 'Plan <b>&</b> "møte"' })], {
      baseUrl: 'https://app.example',
      date: '2026-07-01',
    });
    expect(html).toContain('Plan &lt;b&gt;&amp;&lt;/b&gt; &quot;møte&quot;');
    expect(html).not.toContain('<b>');
  });

  it('refuses an empty digest', () => {
    expect(() => renderDigest([], { baseUrl: 'https://app.example', date: '2026-07-01' })).toThrow(
      RangeError,
    );
  });
});
