import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Documentation stays inside the repository (issue 11): no tracked file may cite the team's design
// notes that never were in it (the semantics and WebGPU notes now live in docs/), and every
// relative link in a Markdown file must reach a file, and a heading when it names one.
const root = resolve(import.meta.dirname, '..');
// Spelled in pieces so that this file does not mention them itself.
const GONE = ['DESIGN', 'WEBGPU-ON-LINUX', 'REMOTE-GPU'].map((n) => `${n}.md`);

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(root, f)));
}

function readText(file: string): string | undefined {
  const text = readFileSync(join(root, file), 'utf8');
  return text.includes('\u0000') ? undefined : text;
}

/** Link targets of a Markdown text, outside code: inline links and images, reference definitions. */
function markdownLinks(md: string): string[] {
  const prose = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*(?:<([^>\n]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? m[2]);
  const defs = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]);
  return [...inline, ...defs];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(md: string): Set<string> {
  const prose = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  return new Set([...prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => headingSlug(m[1])));
}

/** Sections cited by name in code and prose: `docs/x.md, "Section"`, `docs/x.md ("Section")`. */
function citedSections(text: string): { file: string; section: string }[] {
  const re = /\bdocs\/([a-z0-9-]+\.md)(?:,\s*|\s+\()(?:"([^"\n]+)"|'([^'\n]+)')/g;
  return [...text.matchAll(re)].map((m) => ({ file: `docs/${m[1]}`, section: m[2] ?? m[3] }));
}

/** What a section may be cited by: a heading's text, or the bold lead of a list entry
 * (decisions.md's entries: `- **Padded taps are terms.** ...`). */
function sectionNames(md: string): Set<string> {
  const prose = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const headings = [...prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => m[1]);
  const leads = [...prose.matchAll(/^\s*[-*]\s+\*\*(.+?)\*\*/gm)].map((m) => m[1].replace(/[.:]$/, ''));
  return new Set([...headings, ...leads]);
}

/** Why a relative link from `file` is broken, or null when it resolves. */
function brokenLink(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return null; // http:, mailto:, ...
  const [pathPart, anchor] = target.split('#', 2);
  const path = decodeURIComponent(pathPart.split('?')[0]);
  const abs = path === '' ? join(root, file) : path.startsWith('/') ? join(root, path) : resolve(root, dirname(file), path);
  if (!abs.startsWith(root)) return `${target} leaves the repository`;
  if (!existsSync(abs)) return `${target}: no such file`;
  if (anchor && abs.endsWith('.md') && !anchorsOf(readFileSync(abs, 'utf8')).has(anchor)) return `${target}: no heading #${anchor}`;
  return null;
}

describe('documentation stays in the repository', () => {
  const files = trackedFiles();

  it('lists the tracked files', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/semantics.md');
  });

  it('no tracked file cites the design notes that are not in the repository', () => {
    const hits: string[] = [];
    for (const f of files) {
      const text = readText(f);
      if (text === undefined) continue;
      text.split('\n').forEach((line, i) => {
        for (const name of GONE) if (line.includes(name)) hits.push(`${f}:${i + 1}: ${name}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('every relative link in a Markdown file reaches a file (and its heading)', () => {
    const broken: string[] = [];
    for (const f of files.filter((f) => f.endsWith('.md'))) {
      const text = readText(f);
      if (text === undefined) continue;
      for (const target of markdownLinks(text)) {
        const why = brokenLink(f, target);
        if (why) broken.push(`${f}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every docs/ file and section cited by name exists', () => {
    const broken: string[] = [];
    for (const f of files) {
      const text = readText(f);
      if (text === undefined || f === 'test/docs-links.test.ts') continue;
      for (const { file, section } of citedSections(text)) {
        const path = join(root, file);
        if (!existsSync(path)) broken.push(`${f}: ${file} does not exist`);
        else if (!sectionNames(readFileSync(path, 'utf8')).has(section)) broken.push(`${f}: ${file} has no section "${section}"`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('finds cited sections in every form it claims to', () => {
    const text = `(docs/semantics.md, "Special values") docs/architecture.md ("The router's vocabulary") (docs/a.md, 'Packages') docs/x.md's bound`;
    expect(citedSections(text)).toEqual([
      { file: 'docs/semantics.md', section: 'Special values' },
      { file: 'docs/architecture.md', section: "The router's vocabulary" },
      { file: 'docs/a.md', section: 'Packages' },
    ]);
    const names = sectionNames('# Title\n## The bound\n- **Padded taps are terms.** Text\n```\n## not a heading\n```\n');
    expect([...names]).toEqual(['Title', 'The bound', 'Padded taps are terms']);
  });

  it('finds links in every form it claims to, and none in code', () => {
    const md = [
      'See [a](docs/a.md), ![img](b.png "title") and [c](<c d.md>).',
      '[ref]: ../e.md#part',
      'Inline `[not](x.md)` and a URL [site](https://example.org).',
      '```md',
      '[fenced](y.md)',
      '```',
    ].join('\n');
    expect(markdownLinks(md)).toEqual(['docs/a.md', 'b.png', 'c d.md', 'https://example.org', '../e.md#part']);
    expect(headingSlug('Implementing a backend')).toBe('implementing-a-backend');
    expect(headingSlug('Memory budget, 2 GiB (per node)')).toBe('memory-budget-2-gib-per-node');
    expect(brokenLink('README.md', 'docs/no-such-file.md')).toMatch(/no such file/);
    expect(brokenLink('README.md', 'docs/semantics.md#no-such-heading')).toMatch(/no heading/);
    expect(brokenLink('docs/semantics.md', 'error-model.md#the-bound')).toBeNull();
  });
});
