// Owns the driver every instruction suite runs through (integer.test.ts, integer_compiled.test.ts,
// x87.test.ts): generate -> run natively -> emulate -> compare -> group -> report.
//
// A suite (a Suite object) brings its forms, its part of case generation (a CaseBuilder), its
// record layout and emulator, its comparison, how it describes a case's inputs, and how it groups
// mismatches into assertions (judge). The driver owns the rest: the environment variables (with
// the suite's prefix: <env>_SEED, _CASES, _FILTER, _REPORT, _COMPILED), the case loop (single
// instructions and short sequences of forms that allow it), the native and emulated runs, counts by
// group and family, timing, the tap assertions (a group the suite lists as a known gap is reported
// as TODO with its reason), the coverage check, the report file, and CI=true failing on a missing gcc.

import type { Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { Gen, Rng, TooLong } from './gen.js';
import {
  CODE_ADDR, FLAGS_MASK, HEADER, IN_FLAGS, IN_GPR, IN_MEM, MAX_CODE, codeAddrOf, codeOf, disassemble, hexBytes, nativeAvailable,
  runNative, type Diff, type Emulator, type Layout,
} from './machine.js';

/** What the driver needs of a form. */
export interface FormBase {
  /** Unique: mnemonic, operand forms, width, register/memory, prefixes ("add Ev,Gv 32 mem lock"). */
  name: string;
  family: string;
  /** May appear in a multi-instruction snippet. */
  seq: boolean;
  /** How often it is picked, relative to the others (1 when absent). */
  weight?: number;
}

/** What the case loop needs of a generated instruction. */
export interface InsBase {
  bytes: number[];
  /** Registers possibly written (bit n = register n). */
  wregs?: number;
}

export interface CaseMeta<F, M> {
  /** Form names with the variants the generators appended (Gen.variant), one per instruction. */
  names: string[];
  masks: M;
  forms: F[];
}

/**
 * A suite's part of generating one run's cases. For every case the loop makes attempts (Gen.newCase,
 * then begin) until one places an instruction; an attempt places one form, or 2-4 for a sequence,
 * trying each position up to 30 times, and undoes (Gen state and save()) whatever it does not place.
 */
export interface CaseBuilder<F, I extends InsBase, M> {
  /** The fraction of the cases that are sequences. */
  seqFraction: number;
  /** A new attempt at a case, after Gen.newCase. */
  begin(seq: boolean): void;
  /** Saves the builder's own state; calling the result restores it. */
  save(): () => void;
  /** Instruction n of the case from form f (Gen.beginInsn has run); null when it cannot go here. */
  gen(f: F, n: number, seq: boolean): I | null;
  /** ins has been placed. */
  place(ins: I): void;
  /** The case is complete: its masks (the builder may still change its state and the names). */
  finish(names: string[], forms: F[]): M;
  /** Writes the builder's part of the input record at `at` (the driver writes the shared part). */
  write(input: Uint8Array, dv: DataView, at: number): void;
}

/** The mismatches of one group of cases. */
export interface Tally {
  fails: number;
  total: number;
  /** Every mismatching case, in order. */
  examples: number[];
  /** How many mismatching cases differ in each Diff.field. */
  fields: Map<string, number>;
}

/** A run's results, as a suite's judge sees them. */
export interface Run<F, M> {
  count: number;
  forms: F[];
  meta: CaseMeta<F, M>[];
  /** By Suite.keyOf of the form name for single instructions, 'sequence' for the others; in order of first appearance. */
  byKey: Map<string, Tally>;
  /** The differences of every mismatching case. */
  diffs: Map<number, Diff[]>;
}

/** The assertions a suite's judge makes; failures carry examples, also into the report file. */
export interface Verdicts {
  /** A failing group: "name: F of T cases mismatch<note>" with two examples; "== name: F/T<note>" and `inReport` examples in the report. */
  group(name: string, gr: { fails: number; total: number; examples: number[] }, note: string, inReport: number): void;
  /** Any other failure: `name` is what known gaps are matched against. */
  fail(name: string, title: string, examples: number[], section: string, inReport: number[]): void;
  pass(title: string): void;
}

export interface Suite<F extends FormBase, I extends InsBase, M> {
  /** In comments, names and the report: "integer", "x87". */
  name: string;
  /** Prefix of the environment variables ("INSN": INSN_SEED...). */
  env: string;
  forms: F[];
  defaultCases: number;
  /** From this many cases per form on, every form must have been generated as a single instruction. */
  coverage: number;
  layout: Layout;
  emulator(compiled: boolean): Emulator;
  builder(g: Gen): CaseBuilder<F, I, M>;
  compare(input: Uint8Array, nat: Uint8Array, emu: Uint8Array, k: number, masks: M): Diff[];
  /** Case k's inputs, one line each. */
  describeInputs(input: Uint8Array, k: number): string[];
  /** The group of a single-instruction case, from its name. */
  keyOf(name: string): string;
  judge(run: Run<F, M>, out: Verdicts): void;
  /** Mismatching groups reported as TODO: the first pattern that matches the group's name gives the reason. */
  knownGaps?: [RegExp, string][];
}

// --- generation ------------------------------------------------------------------------------

/** Picks forms by weight; with equal weights this is Rng.pick. */
function weightedPicker<F extends FormBase>(r: Rng, forms: F[]): () => F {
  const cum: number[] = [];
  let s = 0;
  for (const f of forms) { s += f.weight ?? 1; cum.push(s); }
  return () => {
    const u = (r.u32() / 4294967296) * s;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] > u) hi = mid; else lo = mid + 1; }
    return forms[lo];
  };
}

/** Generates `count` cases of `forms` from `seed`. */
export function generate<F extends FormBase, I extends InsBase, M>(suite: Suite<F, I, M>, forms: F[], seed: number, count: number):
  { input: Uint8Array; meta: CaseMeta<F, M>[] } {
  const r = new Rng(seed);
  const g = new Gen(r);
  const b = suite.builder(g);
  const seqForms = forms.filter((f) => f.seq);
  const pickAny = weightedPicker(r, forms);
  const pickSeq = seqForms.length ? weightedPicker(r, seqForms) : pickAny;
  const L = suite.layout;
  const input = new Uint8Array(count * L.inRecord);
  const dv = new DataView(input.buffer);
  const meta: CaseMeta<F, M>[] = [];
  for (let k = 0; k < count; k++) {
    const seq = seqForms.length > 0 && r.bool(b.seqFraction);
    let code: number[] = [];
    let names: string[] = [];
    let used: F[] = [];
    let masks!: M;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 1000) throw new Error(`case ${k}: no form could be generated`);
      g.newCase(seq);
      b.begin(seq);
      code = []; names = []; used = [];
      const want = seq ? r.range(2, 4) : 1;
      for (let n = 0; n < want; n++) {
        let placed = false;
        for (let tries = 0; tries < 30 && !placed; tries++) {
          const f = seq ? pickSeq() : pickAny();
          const gpr = [...g.gpr], flags = g.flags, mem = g.mem.slice();
          const restore = b.save();
          g.beginInsn();
          let ins: I | null;
          try { ins = b.gen(f, n, seq); } catch (e) { if (e instanceof TooLong) ins = null; else throw e; }
          if (ins === null || code.length + ins.bytes.length > MAX_CODE) {
            g.gpr = gpr; g.flags = flags; g.mem.set(mem); restore();
            continue;
          }
          code.push(...ins.bytes);
          names.push(f.name + g.variant);
          used.push(f);
          b.place(ins);
          g.endInsn(ins.bytes.length, ins.wregs ?? 0);
          placed = true;
        }
        if (!placed) break;
      }
      if (names.length === 0) continue;
      masks = b.finish(names, used);
      break;
    }
    const at = k * L.inRecord;
    input[at] = code.length;
    dv.setUint16(at + 2, g.codeAddr - CODE_ADDR, true);
    input.set(code, at + HEADER);
    for (let q = 0; q < 16; q++) dv.setBigUint64(at + IN_GPR + 8 * q, g.gpr[q], true);
    dv.setUint32(at + IN_FLAGS, (g.flags & FLAGS_MASK) >>> 0, true);
    input.set(g.mem, at + IN_MEM);
    b.write(input, dv, at);
    meta.push({ names, masks, forms: used });
  }
  return { input, meta };
}

// --- the run ---------------------------------------------------------------------------------

/** <env>_SEED, or a random seed. */
function parseSeed(env: string): number {
  const s = process.env[`${env}_SEED`];
  if (s !== undefined && s !== '') {
    const v = Number(s);
    if (!Number.isInteger(v)) throw new Error(`${env}_SEED must be an integer, not ${s}`);
    return v >>> 0;
  }
  return (Math.random() * 4294967296) >>> 0;
}

/** The forms <env>_FILTER selects (all without it). */
function filterForms<F extends FormBase>(env: string, forms: F[]): F[] {
  const filter = process.env[`${env}_FILTER`];
  if (!filter) return forms;
  const out = forms.filter((f) => f.name.includes(filter));
  if (out.length === 0) throw new Error(`${env}_FILTER=${filter} matches no form`);
  return out;
}

export interface RunOptions {
  /** Replaces the suite's name. */
  name?: string;
  /** Runs every case through the block compiler (also <env>_COMPILED=1). */
  compiled?: boolean;
}

/** Runs a suite as one tap subtest. */
export async function runSuite<F extends FormBase, I extends InsBase, M>(t: Test, suite: Suite<F, I, M>, o: RunOptions = {}): Promise<void> {
  const name = o.name ?? suite.name;
  const env = suite.env;
  const avail = nativeAvailable();
  if (!avail.ok) {
    if (process.env.CI === 'true') t.fail(`${name} test prerequisites missing: ${avail.reason}`);
    else t.pass(`${name}: native side unavailable`, { skip: avail.reason });
    return;
  }
  const forms = filterForms(env, suite.forms);
  const seed = parseSeed(env);
  const count = Number(process.env[`${env}_CASES`] ?? suite.defaultCases);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`${env}_CASES must be a positive integer`);
  t.comment(`${name}: seed ${seed} (replay with ${env}_SEED=${seed}), ${count} cases, ${forms.length} forms`);
  // Also on stderr, so a timeout or crash still leaves the seed behind.
  process.stderr.write(`# ${name}: ${env}_SEED=${seed} ${env}_CASES=${count}\n`);

  const L = suite.layout;
  const t0 = Date.now();
  const { input, meta } = generate(suite, forms, seed, count);
  const t1 = Date.now();
  const nat = runNative(L, input);
  const t2 = Date.now();
  const emu = suite.emulator(o.compiled ?? process.env[`${env}_COMPILED`] === '1');
  const emuOut = new Uint8Array(count * L.outRecord);
  const crashes = new Map<number, string>();
  for (let k = 0; k < count; k++) {
    emu.crash = '';
    emu.run(input, k, emuOut);
    if (emu.crash) crashes.set(k, emu.crash);
  }
  const t3 = Date.now();

  const byKey = new Map<string, Tally>();
  const families = new Map<string, { fails: number; total: number }>();
  const diffs = new Map<number, Diff[]>();
  let passed = 0;
  for (let k = 0; k < count; k++) {
    const m = meta[k];
    const single = m.names.length === 1;
    const key = single ? suite.keyOf(m.names[0]) : 'sequence';
    let gr = byKey.get(key);
    if (!gr) byKey.set(key, gr = { fails: 0, total: 0, examples: [], fields: new Map() });
    gr.total++;
    const famName = single ? m.forms[0].family : 'sequences';
    let fam = families.get(famName);
    if (!fam) families.set(famName, fam = { fails: 0, total: 0 });
    fam.total++;
    const d = suite.compare(input, nat, emuOut, k, m.masks);
    if (d.length === 0) { passed++; continue; }
    gr.fails++;
    fam.fails++;
    for (const f of new Set(d.map((x) => x.field))) gr.fields.set(f, (gr.fields.get(f) ?? 0) + 1);
    gr.examples.push(k);
    diffs.set(k, d);
  }
  const t4 = Date.now();
  const failed = count - passed;
  t.comment(`${name}: ${passed} of ${count} cases match, ${failed} mismatch; ` +
    `generate ${t1 - t0} ms, native ${t2 - t1} ms, emulator ${t3 - t2} ms, compare ${t4 - t3} ms`);
  t.comment(`by family (mismatching/total): ${[...families].sort((a, b) => a[0].localeCompare(b[0])).map(([n, f]) => `${n} ${f.fails}/${f.total}`).join(', ')}`);

  // Examples are disassembled where they are shown: in the diagnostics, and the first few of each
  // section in the report file.
  const reportFile = process.env[`${env}_REPORT`];
  const dis = new Map<number, string | null>();
  const disassembleAll = (ks: number[]) => {
    const todo = [...new Set(ks)].filter((k) => !dis.has(k));
    const out = disassemble(todo.map((k) => codeOf(L, input, k)), todo.map((k) => codeAddrOf(L, input, k)));
    todo.forEach((k, j) => dis.set(k, out[j]));
  };
  const report = (k: number): string => [
    `case ${k} (${env}_SEED=${seed}): ${meta[k].names.join(' ; ')}`,
    `    bytes at 0x${codeAddrOf(L, input, k).toString(16)}: ${hexBytes(codeOf(L, input, k))}${dis.get(k) ? `   (${dis.get(k)})` : ''}`,
    ...suite.describeInputs(input, k).map((l) => `    ${l}`),
    ...(diffs.get(k) ?? []).map((d) => `    ${d.text}`),
    ...(crashes.has(k) ? [`    emulator says: ${crashes.get(k)}`] : []),
  ].join('\n');
  const sections: string[] = [];
  const fail = (gapName: string, title: string, examples: number[], section: string, inReport: number[]) => {
    disassembleAll([...examples, ...(reportFile ? inReport.slice(0, 6) : [])]);
    const gap = suite.knownGaps?.find(([re]) => re.test(gapName));
    t.fail(title, { diagnostic: true, example: examples.map(report).join('\n'), ...(gap ? { todo: gap[1] } : {}) } as object);
    sections.push(`== ${section}`, ...inReport.map(report), '');
  };
  const verdicts: Verdicts = {
    fail,
    group: (g, gr, note, inReport) => fail(g, `${g}: ${gr.fails} of ${gr.total} cases mismatch${note}`, gr.examples.slice(0, 2),
      `${g}: ${gr.fails}/${gr.total}${note}`, gr.examples.slice(0, inReport)),
    pass: (title) => { t.pass(title); },
  };
  suite.judge({ count, forms, meta, byKey, diffs }, verdicts);

  if (count >= suite.coverage * forms.length) {
    const seen = new Set(meta.filter((m) => m.names.length === 1).map((m) => m.forms[0].name));
    t.same(forms.filter((f) => !seen.has(f.name)).map((f) => f.name), [], 'every form was generated as a single instruction');
  }
  if (reportFile) writeFileSync(reportFile, [`${name}: seed ${seed}, ${count} cases, ${passed} pass, ${failed} fail`, '', ...sections].join('\n'));
}
