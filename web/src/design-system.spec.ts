import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/*
 * The pages are built on Designsystemet (see the head of styles.css): every button, field control and
 * table carries its Designsystemet class, no markup uses a class of the retired hand-written styles
 * (which no longer exist, so such markup would render unstyled), and the stylesheet takes its colours
 * from Designsystemet's tokens.
 */

const SRC = fileURLToPath(new URL('.', import.meta.url));

/** Class names of the hand-written styles Designsystemet replaced (styles.css names each one's successor). */
const RETIRED = new Set([
  'button',
  'secondary',
  'danger',
  'link',
  'card',
  'field',
  'hint',
  'has-error',
  'field-error',
  'radio',
  'checkbox',
  'error-summary',
  'problem',
  'status-message',
  'notice',
  'badge',
  'data',
  'skip-link',
  'visually-hidden',
  'confirm-dialog',
]);

/** The Designsystemet class each element needs (any one of them). */
const REQUIRED: Record<string, readonly string[]> = {
  button: ['ds-button', 'ds-link'],
  input: ['ds-input'],
  select: ['ds-input'],
  textarea: ['ds-input'],
  table: ['ds-table'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );
}

interface Finding {
  readonly where: string;
  readonly what: string;
}

/** The static words of a class attribute (string literal, or the literal parts of a template). */
function classWords(init: ts.JsxAttributeValue | undefined): string[] {
  if (!init) return [];
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      texts.push(node.head.text, ...node.templateSpans.map((s) => s.literal.text));
      node.templateSpans.forEach((s) => visit(s.expression));
    } else node.forEachChild(visit);
  };
  visit(init);
  return texts.flatMap((t) => t.split(/\s+/)).filter(Boolean);
}

function check(file: string, text = readFileSync(file, 'utf8')): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: Finding[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) {
      const tag = node.tagName.getText(source);
      const where = `${relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const attrs = node.attributes.properties;
      const classAttr = attrs.find(
        (a): a is ts.JsxAttribute => ts.isJsxAttribute(a) && a.name.getText(source) === 'class',
      );
      const words = classWords(classAttr?.initializer);
      for (const w of words)
        if (RETIRED.has(w)) findings.push({ where, what: `<${tag}> retired class «${w}»` });
      const needs = REQUIRED[tag];
      // A control that takes its attributes from a spread (Field's `control`) gets its class there.
      const spread = attrs.some((a) => ts.isJsxSpreadAttribute(a));
      const tab = attrs.some((a) => ts.isJsxAttribute(a) && a.name.getText(source) === 'role');
      if (needs && !spread && !tab && !needs.some((c) => words.includes(c)))
        findings.push({ where, what: `<${tag}> without ${needs.join(' or ')}` });
    }
    node.forEachChild(visit);
  };
  visit(source);
  return findings;
}

describe('the web app on Designsystemet', () => {
  it('gives every button, field control and table its Designsystemet class, and uses no retired class', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => check(f))).toEqual([]);
  });

  it('finds a bare button, a retired class and a bare table (the check can fail)', () => {
    const probe = '<div class="card"><button type="button">A</button><table class={`data ${x}`} /></div>';
    expect(check(join(SRC, 'probe.tsx'), `const x = 'y'; export const p = ${probe};`)).toEqual([
      { where: 'probe.tsx:1', what: '<div> retired class «card»' },
      { where: 'probe.tsx:1', what: '<button> without ds-button or ds-link' },
      { where: 'probe.tsx:1', what: '<table> retired class «data»' },
      { where: 'probe.tsx:1', what: '<table> without ds-table' },
    ]);
  });

  it('takes every colour in styles.css from Designsystemet tokens', () => {
    const css = readFileSync(join(SRC, 'styles.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(css.match(/#[0-9a-f]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(/gi) ?? []).toEqual([]);
  });
});
