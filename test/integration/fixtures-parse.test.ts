/**
 * Every document fixture (fixtures/documents/**, made by fixtures/make-documents.sh with real
 * producers) parsed in one `shenbao parse` batch, each record compared field by field with the
 * hand-written `<name>.expected.json` next to it, and every record validated against the
 * shared schema. Needs the built dist/ (the test script builds it first).
 *
 * An expected file holds one record, or an ARRAY of records for an archive (one per member,
 * `file` = 'archive.zip/inner/name'). Records are matched by `file` (fixture names are unique).
 * `error.message` may be any non-empty text: only `error.code` is fixed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ROOT = path.resolve(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'fixtures', 'documents');
const SCHEMA_PATH = path.resolve(ROOT, '..', 'shared', 'spec', 'form-record.schema.json');
const EXPECTED_SUFFIX = '.expected.json';

interface Fixture {
  /** Path relative to fixtures/documents, e.g. forms/core-form.docx. */
  rel: string;
  abs: string;
  /** The record(s) this document must give, by `file`. */
  expected: JsonObject[];
  archive: boolean;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function loadFixtures(): Fixture[] {
  const docs = walk(DOCS).filter((p) => !p.endsWith(EXPECTED_SUFFIX) && path.basename(p) !== 'README.md');
  // forms first, hostile files in the middle, then the rest: a crash on a hostile file
  // would lose the records after it.
  const order = (rel: string): number => (rel.startsWith('forms/') ? 0 : rel.startsWith('hostile/') ? 1 : 2);
  return docs
    .map((abs) => {
      const rel = path.relative(DOCS, abs).split(path.sep).join('/');
      const expectedPath = abs + EXPECTED_SUFFIX;
      if (!fs.existsSync(expectedPath)) throw new Error(`fixture ${rel} has no ${path.basename(expectedPath)}`);
      const raw = JSON.parse(fs.readFileSync(expectedPath, 'utf8')) as Json;
      const list = Array.isArray(raw) ? raw : [raw];
      const expected = list.map((r, i) => {
        if (!isObject(r)) throw new Error(`${rel}${EXPECTED_SUFFIX}[${i}] is not an object`);
        return r;
      });
      return { rel, abs, expected, archive: Array.isArray(raw) };
    })
    .sort((a, b) => order(a.rel) - order(b.rel) || a.rel.localeCompare(b.rel));
}

function show(v: Json | undefined): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

/** Differences between expected and actual, one line per path: `form.products[0].name: expected …, got …`. */
function diff(expected: Json, actual: Json | undefined, at: string, out: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push(`${at}: expected an array ${show(expected)}, got ${show(actual)}`);
      return;
    }
    if (expected.length !== actual.length) {
      out.push(`${at}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`);
    }
    expected.forEach((e, i) => { if (i < actual.length) diff(e, actual[i], `${at}[${i}]`, out); });
    return;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) {
      out.push(`${at}: expected an object, got ${show(actual)}`);
      return;
    }
    for (const [k, e] of Object.entries(expected)) diff(e, actual[k], at ? `${at}.${k}` : k, out);
    return;
  }
  if (expected !== actual) out.push(`${at}: expected ${show(expected)}, got ${show(actual)}`);
}

function compareRecord(expected: JsonObject, actual: JsonObject): string[] {
  const out: string[] = [];
  for (const [key, e] of Object.entries(expected)) {
    if (key === 'error') continue;
    diff(e, actual[key], key, out);
  }
  const e = expected.error;
  const a = actual.error;
  if (e === null || e === undefined) {
    if (a !== null) out.push(`error: expected null, got ${show(a)}`);
  } else if (isObject(e)) {
    if (!isObject(a)) out.push(`error: expected code ${show(e.code)}, got ${show(a)}`);
    else {
      if (a.code !== e.code) out.push(`error.code: expected ${show(e.code)}, got ${show(a.code)} (${show(a.message)})`);
      if (typeof a.message !== 'string' || a.message.trim() === '') out.push(`error.message: expected text, got ${show(a.message)}`);
    }
  }
  return out;
}

const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateRecord = ajv.compile(schema);
function schemaErrors(record: Json): string[] {
  return validateRecord(record)
    ? []
    : (validateRecord.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const fixtures = loadFixtures();
const expectedByFile = new Map<string, { fixture: Fixture; record: JsonObject }>();
for (const fixture of fixtures) {
  for (const record of fixture.expected) {
    const file = String(record.file);
    if (expectedByFile.has(file)) throw new Error(`two fixtures expect a record for ${file}`);
    expectedByFile.set(file, { fixture, record });
  }
}

describe('document fixtures: expected records', () => {
  test('there are fixtures of every group', () => {
    const count = (dir: string): number => fixtures.filter((f) => f.rel.startsWith(dir)).length;
    expect(count('forms/')).toBeGreaterThanOrEqual(25);
    expect(count('other/')).toBeGreaterThanOrEqual(10);
    expect(count('hostile/')).toBeGreaterThanOrEqual(8);
  });

  test.each(fixtures.map((f) => [f.rel, f] as const))('%s: expected record(s) follow the schema', (_rel, fixture) => {
    for (const record of fixture.expected) {
      expect({ file: record.file, errors: schemaErrors(record) }).toEqual({ file: record.file, errors: [] });
    }
  });

  test.each(fixtures.map((f) => [f.rel, f] as const))('%s: expected file names the document', (_rel, fixture) => {
    const base = path.basename(fixture.abs);
    for (const record of fixture.expected) {
      if (fixture.archive) expect(String(record.file).startsWith(`${base}/`)).toBe(true);
      else expect(record.file).toBe(base);
    }
  });
});

describe('shenbao parse over every document fixture', () => {
  let records: JsonObject[] = [];
  let byFile = new Map<string, JsonObject>();
  let run: { status: number | null; stderr: string; stdout: string; error?: Error } = { status: null, stderr: '', stdout: '' };

  beforeAll(() => {
    const result = spawnSync(process.execPath, ['bin/shenbao.js', 'parse', ...fixtures.map((f) => f.abs)], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      timeout: 15 * 60 * 1000,
    });
    run = { status: result.status, stderr: result.stderr ?? '', stdout: result.stdout ?? '', error: result.error };
    try {
      const parsed = JSON.parse(run.stdout) as Json;
      if (Array.isArray(parsed)) records = parsed.filter(isObject);
    } catch {
      records = [];
    }
    byFile = new Map(records.map((r) => [String(r.file), r]));
  }, 16 * 60 * 1000);

  test('the batch completes: exit 0, a JSON array on stdout', () => {
    expect({ status: run.status, spawnError: run.error?.message ?? null, stderrTail: run.status === 0 ? '' : run.stderr.slice(-2000) })
      .toEqual({ status: 0, spawnError: null, stderrTail: '' });
    expect(Array.isArray(JSON.parse(run.stdout))).toBe(true);
  });

  test('one record per document (per member for archives), none unexpected', () => {
    const actualFiles = records.map((r) => String(r.file)).sort();
    expect(actualFiles).toEqual([...expectedByFile.keys()].sort());
  });

  test('every record follows form-record.schema.json', () => {
    const bad = records.map((r) => ({ file: r.file, errors: schemaErrors(r) })).filter((r) => r.errors.length > 0);
    expect(bad).toEqual([]);
  });

  test.each(fixtures.map((f) => [f.rel, f] as const))('%s', (_rel, fixture) => {
    const problems: string[] = [];
    for (const expected of fixture.expected) {
      const actual = byFile.get(String(expected.file));
      if (!actual) {
        problems.push(`${String(expected.file)}: no record`);
        continue;
      }
      problems.push(...compareRecord(expected, actual).map((d) => `${String(expected.file)}: ${d}`));
    }
    expect(problems).toEqual([]);
  });

  test('top-level records carry the sha256 and size of the bytes', () => {
    const wrong: string[] = [];
    for (const fixture of fixtures.filter((f) => !f.archive)) {
      const record = byFile.get(path.basename(fixture.abs));
      if (!record) continue; // reported by the per-fixture test
      const bytes = fs.readFileSync(fixture.abs);
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (record.sha256 !== sha) wrong.push(`${fixture.rel}: sha256 ${show(record.sha256)}, bytes give ${sha}`);
      if (record.size !== bytes.length) wrong.push(`${fixture.rel}: size ${show(record.size)}, file has ${bytes.length}`);
    }
    expect(wrong).toEqual([]);
  });

  test('hostile files give their coded error, and the records after them are still there', () => {
    const hostile = fixtures.filter((f) => f.rel.startsWith('hostile/'));
    const got = hostile.flatMap((f) => f.expected.map((e) => {
      const a = byFile.get(String(e.file));
      return { file: e.file, code: isObject(a) && isObject(a.error) ? a.error.code : null };
    }));
    const want = hostile.flatMap((f) => f.expected.map((e) => ({ file: e.file, code: isObject(e.error) ? e.error.code : null })));
    expect(got).toEqual(want);
    const after = fixtures.filter((f) => f.rel.startsWith('other/')).map((f) => path.basename(f.abs));
    expect(after.filter((file) => ![...byFile.keys()].some((k) => k === file || k.startsWith(`${file}/`)))).toEqual([]);
  });
});
