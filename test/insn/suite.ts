// The driver shared by instruction suites: generates cases from a table of instruction forms
// (single instructions, and short sequences of forms that allow it), runs them natively and in the
// emulator, compares, and reports mismatches grouped by form.
//
// A suite is a list of Forms. Each form's generator fills the case state (Gen) and returns the
// assembled instruction with its flag effects: the flags it reads, the flags it defines, the flags
// the Intel SDM leaves undefined, and registers/memory it leaves undefined. For a sequence, the
// undefined set is propagated (U = (U & ~defined) | undefined), and a form that would read an
// undefined flag is not placed there.

import type { Test } from 'tap';
import { Gen, Rng, TooLong } from './gen.js';
import {
  ARITH, CODE_ADDR, HEADER, compareCase, codeOf, codeAddrOf, disassemble, Emulator, hexBytes, IN_FLAGS, IN_GPR, IN_MEM, IN_RECORD,
  MAX_CODE, OUT_RECORD, SCRATCH_ADDR, runNative, type Masks, buildHarness, nativeAvailable, GPR_NAMES, FLAG_NAMES, FLAGS_MASK,
} from './machine.js';

/** One generated instruction. */
export interface Ins {
  bytes: number[];
  /** Flags read (a sequence never puts it after an instruction that left one of them undefined). */
  reads: number;
  /** Flags set to defined values. */
  writes: number;
  /** Flags left undefined (SDM). */
  undef: number;
  /** Registers possibly written (bit n = register n). */
  wregs: number;
  /** Registers left undefined (SDM). */
  undefRegs?: number;
  /** Scratch bytes left undefined (SDM). */
  undefMem?: bigint;
  /** Flags undefined if the instruction faults part-way (forms that fault are never in sequences). */
  faultUndef?: number;
}

export interface Form {
  /** Unique: mnemonic, operand forms, width, register/memory, prefixes ("add Ev,Gv 32 mem lock"). */
  name: string;
  family: string;
  /** May appear in a multi-instruction snippet (its masks do not depend on values, it pins nothing
   *  that a sequence cannot provide, and it cannot fault). */
  seq: boolean;
  /** Returns null when it cannot be placed here (a register it must pin is taken); retried. */
  gen: (g: Gen) => Ins | null;
}

/** Variant suffixes that generators append to form names (see Gen.variant). */
const VARIANT_TOKENS = [' a32 hi', ' a32', ' wrap', ' gs', ' seg', ' +66', ' hi'];
const VARIANT_RE = /( a32( hi)?| wrap| gs| seg| \+66| hi)*$/;

export interface CaseMeta {
  names: string[];
  masks: Masks;
}

export interface Generated {
  input: Uint8Array;
  meta: CaseMeta[];
}

/** Generates `count` cases; `seqFraction` of them are sequences of 2-4 forms. */
export function generate(forms: Form[], seed: number, count: number, seqFraction = 0.25): Generated {
  const r = new Rng(seed);
  const g = new Gen(r);
  forms = filterForms(forms);
  const seqForms = forms.filter((f) => f.seq);
  const input = new Uint8Array(count * IN_RECORD);
  const dv = new DataView(input.buffer);
  const meta: CaseMeta[] = [];
  for (let k = 0; k < count; k++) {
    const seq = seqForms.length > 0 && r.bool(seqFraction);
    let code: number[] = [];
    let names: string[] = [];
    let masks: Masks = { flags: 0, regs: 0, mem: 0n, faultFlags: 0 };
    for (let attempt = 0; ; attempt++) {
      if (attempt > 1000) throw new Error(`case ${k}: no form could be generated`);
      g.newCase(seq);
      code = []; names = [];
      let undef = 0, undefRegs = 0, undefMem = 0n, faultUndef = 0;
      const want = seq ? r.range(2, 4) : 1;
      for (let n = 0; n < want; n++) {
        let placed = false;
        for (let tries = 0; tries < 30 && !placed; tries++) {
          const f = seq ? r.pick(seqForms) : r.pick(forms);
          const saved = snapshot(g);
          g.beginInsn();
          let ins: Ins | null;
          try { ins = f.gen(g); } catch (e) { if (e instanceof TooLong) ins = null; else throw e; }
          if (ins === null || (ins.reads & undef) !== 0 || code.length + ins.bytes.length > MAX_CODE) { restore(g, saved); continue; }
          code.push(...ins.bytes);
          names.push(f.name + g.variant);
          undef = (undef & ~ins.writes) | ins.undef;
          undefRegs |= ins.undefRegs ?? 0;
          undefMem |= ins.undefMem ?? 0n;
          faultUndef |= ins.faultUndef ?? 0;
          g.endInsn(ins.bytes.length, ins.wregs);
          placed = true;
        }
        if (!placed) break;
      }
      if (names.length === 0) continue;
      masks = { flags: undef & ARITH, regs: undefRegs, mem: undefMem, faultFlags: faultUndef };
      break;
    }
    const at = k * IN_RECORD;
    input[at] = code.length;
    dv.setUint16(at + 2, g.codeAddr - CODE_ADDR, true);
    input.set(code, at + HEADER);
    for (let q = 0; q < 16; q++) dv.setBigUint64(at + IN_GPR + 8 * q, g.gpr[q], true);
    dv.setUint32(at + IN_FLAGS, (g.flags & FLAGS_MASK) >>> 0, true);
    input.set(g.mem, at + IN_MEM);
    meta.push({ names, masks });
  }
  return { input, meta };
}

/** The forms INSN_FILTER selects (all without it). */
export function filterForms(forms: Form[]): Form[] {
  const filter = process.env.INSN_FILTER;
  if (!filter) return forms;
  const out = forms.filter((f) => f.name.includes(filter));
  if (out.length === 0) throw new Error(`INSN_FILTER=${filter} matches no form`);
  return out;
}

interface Snap { gpr: bigint[]; flags: number; mem: Uint8Array }
function snapshot(g: Gen): Snap { return { gpr: [...g.gpr], flags: g.flags, mem: g.mem.slice() }; }
function restore(g: Gen, s: Snap): void { g.gpr = s.gpr; g.flags = s.flags; g.mem.set(s.mem); }

export interface SuiteOptions {
  name: string;
  forms: Form[];
  /** Environment overrides: INSN_SEED, INSN_CASES. */
  defaultCases: number;
}

function parseSeed(): number {
  const s = process.env.INSN_SEED;
  if (s !== undefined && s !== '') {
    const v = Number(s);
    if (!Number.isInteger(v)) throw new Error(`INSN_SEED must be an integer, not ${s}`);
    return v >>> 0;
  }
  return (Math.random() * 4294967296) >>> 0;
}

/** Describes case k's inputs: registers the snippet touches are listed first, then the rest. */
function describeInputs(input: Uint8Array, k: number): string {
  const dv = new DataView(input.buffer, input.byteOffset + k * IN_RECORD, IN_RECORD);
  const regs = GPR_NAMES.map((n, q) => `${n}=${dv.getUint32(IN_GPR + 8 * q + 4, true).toString(16).padStart(8, '0')}${dv.getUint32(IN_GPR + 8 * q, true).toString(16).padStart(8, '0')}`);
  const f = dv.getUint32(IN_FLAGS, true);
  const flags = FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(' ') || '-';
  const mem = hexBytes(input.subarray(k * IN_RECORD + IN_MEM, k * IN_RECORD + IN_MEM + 64));
  return `inputs: ${regs.join(' ')}\n    flags in: [${flags}]\n    scratch (0x${SCRATCH_ADDR.toString(16)}): ${mem}`;
}

/** Runs a suite as one tap subtest. */
export async function runSuite(t: Test, o: SuiteOptions): Promise<void> {
  const avail = nativeAvailable();
  if (!avail.ok) {
    if (process.env.CI === 'true') t.fail(`instruction test prerequisites missing: ${avail.reason}`);
    else t.pass(`${o.name}: native side unavailable`, { skip: avail.reason });
    return;
  }
  const forms = filterForms(o.forms);
  const seed = parseSeed();
  const count = Number(process.env.INSN_CASES ?? o.defaultCases);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`INSN_CASES must be a positive integer`);
  t.comment(`${o.name}: seed ${seed} (replay with INSN_SEED=${seed}), ${count} cases, ${forms.length} forms`);
  // Also on stderr, so a timeout or crash still leaves the seed behind.
  process.stderr.write(`# ${o.name}: INSN_SEED=${seed} INSN_CASES=${count}\n`);

  const t0 = Date.now();
  const { input, meta } = generate(forms, seed, count);
  const t1 = Date.now();
  const harness = buildHarness();
  let nat: Buffer;
  try { nat = runNative(harness.bin, input); } finally { harness.cleanup(); }
  const t2 = Date.now();
  const emu = new Emulator();
  const emuOut = new Uint8Array(count * OUT_RECORD);
  const crashes = new Map<number, string>();
  for (let k = 0; k < count; k++) {
    emu.crash = '';
    emu.run(input, k, emuOut);
    if (emu.crash) crashes.set(k, emu.crash);
  }
  const t3 = Date.now();

  const byForm = new Map<string, { fails: number; total: number; examples: number[] }>();
  const details = new Map<number, string[]>();
  let passed = 0;
  for (let k = 0; k < count; k++) {
    const m = meta[k];
    const key = m.names.length === 1 ? m.names[0] : 'sequence';
    let e = byForm.get(key);
    if (!e) byForm.set(key, e = { fails: 0, total: 0, examples: [] });
    e.total++;
    const d = compareCase(input, nat, emuOut, k, m.masks);
    if (d.length === 0) { passed++; continue; }
    e.fails++;
    if (key === 'sequence' || e.examples.length < 3) { e.examples.push(k); details.set(k, d); }
  }
  const t4 = Date.now();
  const failed = count - passed;
  t.comment(`${o.name}: ${passed} of ${count} cases match, ${failed} mismatch; ` +
    `generate ${t1 - t0} ms, native ${t2 - t1} ms, emulator ${t3 - t2} ms, compare ${t4 - t3} ms`);
  const familyOf = new Map(forms.map((f) => [f.name, f.family]));
  const families = new Map<string, { fails: number; total: number }>();
  for (const [n, e] of byForm) {
    const fam = n === 'sequence' ? 'sequences' : familyOf.get(n.replace(VARIANT_RE, '')) ?? '?';
    const f = families.get(fam) ?? { fails: 0, total: 0 };
    f.fails += e.fails; f.total += e.total;
    families.set(fam, f);
  }
  t.comment(`by family (mismatching/total): ${[...families].map(([n, f]) => `${n} ${f.fails}/${f.total}`).join(', ')}`);

  // Failures are reported per form (all its variants together) and, for addressing variants that fail on
  // forms that pass without them (" a32 hi", " wrap"...), per variant. Sequence failures are only
  // interesting when no member is explained that way.
  const failingKeys = [...byForm.entries()].filter(([n, e]) => e.fails > 0 && n !== 'sequence').sort((a, b) => a[0].localeCompare(b[0]));
  const baseOf = (n: string) => n.replace(VARIANT_RE, '');
  const variantOf = (n: string) => n.slice(baseOf(n).length);
  const failingBase = new Set(failingKeys.filter(([n]) => variantOf(n) === '').map(([n]) => baseOf(n)));
  // A variant is to blame when it fails on several forms that pass without it; otherwise the form is.
  const tokenForms = new Map<string, Set<string>>();
  for (const [n] of failingKeys) {
    if (failingBase.has(baseOf(n))) continue;
    const tok = VARIANT_TOKENS.find((v) => variantOf(n).includes(v));
    if (tok) { if (!tokenForms.has(tok)) tokenForms.set(tok, new Set()); tokenForms.get(tok)!.add(baseOf(n)); }
  }
  const badTokens = new Set([...tokenForms].filter(([, f]) => f.size >= 3).map(([tok]) => tok));
  for (const [n] of failingKeys) {
    if (!VARIANT_TOKENS.some((v) => badTokens.has(v) && variantOf(n).includes(v))) failingBase.add(baseOf(n));
  }
  const groupOf = (n: string): string => {
    if (failingBase.has(baseOf(n))) return baseOf(n);
    const tok = VARIANT_TOKENS.find((v) => badTokens.has(v) && variantOf(n).includes(v));
    return tok ? `addressing variant "${tok.trim()}" (on forms that pass without it)` : n;
  };
  const groups = new Map<string, { fails: number; total: number; examples: number[]; forms: Set<string> }>();
  for (const [n, e] of byForm) {
    if (n === 'sequence') continue;
    const gk = groupOf(n);
    if (!failingBase.has(gk) && !gk.startsWith('addressing variant') && e.fails === 0) continue;
    let gr = groups.get(gk);
    if (!gr) groups.set(gk, gr = { fails: 0, total: 0, examples: [], forms: new Set() });
    gr.fails += e.fails; gr.total += e.total; gr.examples.push(...e.examples.slice(0, 1));
    if (e.fails) gr.forms.add(baseOf(n));
  }
  const failingGroups = [...groups.entries()].filter(([, gr]) => gr.fails > 0).sort((a, b) => a[0].localeCompare(b[0]));
  const explained = (n: string) => failingBase.has(baseOf(n)) || [...badTokens].some((tok) => variantOf(n).includes(tok)) ||
    (byForm.get(n)?.fails ?? 0) > 0;
  const seqEntry = byForm.get('sequence');
  const seqFailing: number[] = [];
  if (seqEntry) for (let k = 0; k < count; k++) if (meta[k].names.length > 1 && details.has(k)) seqFailing.push(k);
  const seqOnly = seqFailing.filter((k) => meta[k].names.every((n) => !explained(n)));

  const shown = [...failingGroups.flatMap(([, gr]) => gr.examples.slice(0, 2)), ...seqOnly.slice(0, 6)];
  const dis = disassemble(shown.map((k) => codeOf(input, k)), shown.map((k) => codeAddrOf(input, k)));
  const disOf = new Map(shown.map((k, j) => [k, dis[j]]));
  const report = (k: number): string => {
    const code = codeOf(input, k);
    const lines = [
      `case ${k} (seed ${seed}): ${meta[k].names.join(' ; ')}`,
      `    bytes at 0x${codeAddrOf(input, k).toString(16)}: ${hexBytes(code)}${disOf.get(k) ? `   (${disOf.get(k)})` : ''}`,
      `    ${describeInputs(input, k)}`,
      ...(details.get(k) ?? []).map((s) => `    ${s}`),
    ];
    if (crashes.has(k)) lines.push(`    emulator says: ${crashes.get(k)}`);
    return lines.join('\n');
  };

  for (const [name, gr] of failingGroups) {
    const forms = name.startsWith('addressing variant') ? ` over ${gr.forms.size} forms` : '';
    t.fail(`${name}: ${gr.fails} of ${gr.total} cases mismatch${forms}`, { diagnostic: true, example: gr.examples.slice(0, 2).map(report).join('\n') } as object);
  }
  if (seqEntry) {
    if (seqOnly.length > 0) {
      t.fail(`sequences of individually passing forms: ${seqOnly.length} of ${seqEntry.total} mismatch`, { diagnostic: true, example: seqOnly.slice(0, 3).map(report).join('\n') } as object);
    } else {
      t.pass(`sequences: ${seqEntry.total - seqEntry.fails} of ${seqEntry.total} match${seqEntry.fails ? ' (every mismatch involves a form or variant that fails alone)' : ''}`);
    }
  }
  const passingForms = forms.filter((f) => !failingBase.has(f.name) && byForm.has(f.name)).length;
  t.pass(`${passingForms} of ${forms.length} forms match in every case (apart from failing addressing variants)`);

  // Coverage: with the default count, every form must have been generated on its own.
  if (count >= 20 * forms.length) {
    const seen = new Set([...byForm.keys()].map((n) => n.replace(VARIANT_RE, '')));
    const missing = forms.filter((f) => !seen.has(f.name)).map((f) => f.name);
    t.same(missing, [], 'every form was generated as a single instruction');
  }

  if (process.env.INSN_REPORT) {
    // Full report for humans: every failing form with its first example.
    const { writeFileSync } = await import('node:fs');
    const lines = [`${o.name}: seed ${seed}, ${count} cases, ${passed} pass, ${failed} fail`, ''];
    for (const [name, gr] of failingGroups) lines.push(`== ${name}: ${gr.fails}/${gr.total}`, ...gr.examples.slice(0, 2).map(report), '');
    if (seqOnly.length) lines.push('== sequences of individually passing forms', ...seqOnly.slice(0, 6).map(report), '');
    writeFileSync(process.env.INSN_REPORT, lines.join('\n'));
  }
}
