// The x87 FPU against the host CPU (DESIGN.md, Testing): generated cases (test/insn/x87_forms.ts:
// every D8-DF form, memory operands in every format and addressing form, fxsave/fxrstor, the
// undocumented aliases and reserved encodings, and short sequences of forms) run natively through
// test/insn/x87_harness.c (x87 state loaded with fxrstor, dumped with fxsave) and in the emulator
// (register file slots set and read directly). Compared: FSW (condition codes the SDM leaves
// undefined masked), the abridged tag word, every valid register bit for bit (transcendentals:
// within 2 ulps, C1 only when they agree exactly), FCW, EFLAGS, GPRs, the scratch memory, rip and
// exceptions. Where the SDM and this Intel host disagree the form says so (fcomi's C1).
//
// Each case starts from a random x87 state: FCW with random precision and rounding control, every
// exception masked (some single instructions run with some unmasked; non-waiting ones sometimes
// with a pending exception), a stack of 0-8 registers (now and then with holes) holding zeros,
// denormals, normals, near-integers, integers at the limits of the integer formats, huge and tiny
// values, infinities, QNaNs, SNaNs, the indefinite and unsupported encodings.
//
//   X87_SEED=n      replay a run (the seed is printed at the start)
//   X87_CASES=n     number of cases (default 20000)
//   X87_FILTER=s    only forms whose name contains s (e.g. "fprem", "m64fp")
//   X87_REPORT=f    also write a mismatch report to file f (4 examples per form; X87_REPORT_ALL=1: every case)
//   CI=true         a missing gcc fails instead of skipping
//
// Run: npx tsc -p tsconfig.json && npx tap dist/test/insn/x87.test.js

import t from 'tap';
import { writeFileSync } from 'node:fs';
import { Gen, Rng, TooLong, le } from './gen.js';
import { disassemble } from './machine.js';
import {
  buildHarness, codeAddrOf, codeOf, compareX87, CODE_ADDR, FLAG_NAMES, fswList, GPR_NAMES, hexBytes, HEADER, IN_FLAGS, IN_GPR,
  IN_MEM, IN_ST, IN_X87, MAX_CODE, nativeAvailable, runNative, SCRATCH_ADDR, showF80, tagString, X87Emulator, X_IN_RECORD,
  X_OUT_RECORD, X_MEM_SIZE, type Diff, type X87Masks,
} from './x87_machine.js';
import { CC, fixSummary, isValid, newState, PENDING_MF, X87_FORMS, type Ctx, type XForm, type XState } from './x87_forms.js';

t.setTimeout(180 * 1000);

/** Addressing and encoding variants that generators append to form names (Gen.variant): folded
 *  into their form when reporting. " unmasked" and " pending" (exception masks) are kept apart. */
const VARIANT_RE = /( a32( hi)?| wrap| gs| seg| hi| rex)+/g;

interface Meta { names: string[]; masks: X87Masks; forms: XForm[] }

function parseSeed(): number {
  const s = process.env.X87_SEED;
  if (s !== undefined && s !== '') {
    const v = Number(s);
    if (!Number.isInteger(v)) throw new Error(`X87_SEED must be an integer, not ${s}`);
    return v >>> 0;
  }
  return (Math.random() * 4294967296) >>> 0;
}

function selectForms(): XForm[] {
  const f = process.env.X87_FILTER;
  if (!f) return X87_FORMS;
  const out = X87_FORMS.filter((x) => x.name.includes(f));
  if (out.length === 0) throw new Error(`X87_FILTER=${f} matches no form`);
  return out;
}

function weightedPicker(r: Rng, forms: XForm[]): () => XForm {
  const cum: number[] = [];
  let s = 0;
  for (const f of forms) { s += f.weight; cum.push(s); }
  return () => {
    const u = (r.u32() / 4294967296) * s;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] > u) hi = mid; else lo = mid + 1; }
    return forms[lo];
  };
}

function cloneState(x: XState): XState { return { fcw: x.fcw, fsw: x.fsw, ftw: x.ftw, st: x.st.map((v) => ({ ...v })) }; }

function generate(forms: XForm[], seed: number, count: number, seqFraction = 0.2): { input: Uint8Array; meta: Meta[] } {
  const r = new Rng(seed);
  const g = new Gen(r);
  const seqForms = forms.filter((f) => f.seq);
  const pickAny = weightedPicker(r, forms);
  const pickSeq = seqForms.length ? weightedPicker(r, seqForms) : pickAny;
  const input = new Uint8Array(count * X_IN_RECORD);
  const dv = new DataView(input.buffer);
  const meta: Meta[] = [];
  for (let k = 0; k < count; k++) {
    const seq = seqForms.length > 0 && r.bool(seqFraction);
    let code: number[] = [];
    let names: string[] = [];
    let used: XForm[] = [];
    let x!: XState;
    let ext = new Uint8Array(X_MEM_SIZE - 64);
    let masks: X87Masks = { fsw: 0, mem: 0n, regs: 0, approx: 0, ulps: 0, approxFsw: 0 };
    for (let attempt = 0; ; attempt++) {
      if (attempt > 1000) throw new Error(`case ${k}: no form could be generated`);
      g.newCase(seq);
      x = newState(r);
      for (let b = 0; b < ext.length; b++) ext[b] = r.int(256);
      code = []; names = []; used = [];
      let ccUndef = 0;
      let memUndef = 0n, approx = 0, approxFsw = 0;
      const want = seq ? r.range(2, 4) : 1;
      for (let n = 0; n < want; n++) {
        let placed = false;
        for (let tries = 0; tries < 30 && !placed; tries++) {
          const f = seq ? pickSeq() : pickAny();
          const saved = { gpr: [...g.gpr], flags: g.flags, mem: g.mem.slice(), x: cloneState(x), ext: ext.slice() };
          g.beginInsn();
          const ctx: Ctx = { g, r, x, ext, first: n === 0, seq };
          let ins;
          try { ins = f.gen(ctx); } catch (e) { if (e instanceof TooLong) ins = null; else throw e; }
          if (ins === null || (f.readsCC && (ccUndef & CC)) || code.length + ins.bytes.length > MAX_CODE) {
            g.gpr = saved.gpr; g.flags = saved.flags; g.mem.set(saved.mem); x = saved.x; ext = saved.ext;
            continue;
          }
          code.push(...ins.bytes);
          names.push(f.name + g.variant);
          used.push(f);
          ccUndef = (ccUndef & ~(ins.ccDef | ins.ccUndef)) | ins.ccUndef;
          memUndef |= ins.memUndef ?? 0n;
          approx |= ins.approx ?? 0;
          approxFsw |= ins.approxFsw ?? 0;
          g.endInsn(ins.bytes.length, ins.wregs ?? 0);
          placed = true;
        }
        if (!placed) break;
      }
      if (names.length === 0) continue;
      if (names.length === 1) {
        // exception masks: a waiting instruction never starts with a pending unmasked exception
        const f = used[0];
        if (f.name === PENDING_MF || (!f.waiting && r.bool(0.3))) {
          const u = r.int(64) || 1;
          x.fcw &= ~u;
          x.fsw |= u & -u; // one of them pending
          if (f.name !== PENDING_MF) names[0] += ' pending';
        } else if (f.numeric && f.waiting && r.bool(0.1)) {
          const u = r.bool(0.3) ? 0x3f : r.int(64) || 1;
          x.fcw &= ~u;
          x.fsw &= ~u;
          names[0] += ' unmasked';
        }
      }
      fixSummary(x);
      masks = { fsw: ccUndef, mem: memUndef, regs: 0, approx, ulps: approx ? 2 : 0, approxFsw };
      break;
    }
    const at = k * X_IN_RECORD;
    input[at] = code.length;
    dv.setUint16(at + 2, g.codeAddr - CODE_ADDR, true);
    input.set(code, at + HEADER);
    for (let q = 0; q < 16; q++) dv.setBigUint64(at + IN_GPR + 8 * q, g.gpr[q], true);
    dv.setUint32(at + IN_FLAGS, g.flags >>> 0, true);
    input.set(g.mem, at + IN_MEM);
    input.set(ext, at + IN_MEM + 64);
    dv.setUint16(at + IN_X87, x.fcw, true);
    dv.setUint16(at + IN_X87 + 2, x.fsw, true);
    input[at + IN_X87 + 4] = x.ftw;
    for (let i = 0; i < 8; i++) {
      input.set(le(x.st[i].mant, 8), at + IN_ST + 10 * i);
      dv.setUint16(at + IN_ST + 10 * i + 8, x.st[i].se, true);
    }
    meta.push({ names, masks, forms: used });
  }
  return { input, meta };
}

function describeInputs(input: Uint8Array, k: number): string {
  const dv = new DataView(input.buffer, input.byteOffset + k * X_IN_RECORD, X_IN_RECORD);
  const fcw = dv.getUint16(IN_X87, true), fsw = dv.getUint16(IN_X87 + 2, true), ftw = dv.getUint8(IN_X87 + 4);
  const top = (fsw >> 11) & 7;
  const pcName = ['24-bit', 'reserved', '53-bit', '64-bit'][(fcw >> 8) & 3];
  const rcName = ['nearest', 'down', 'up', 'zero'][(fcw >> 10) & 3];
  const lines = [
    `fcw ${fcw.toString(16).padStart(4, '0')} (masks ${(fcw & 0x3f).toString(16)}, ${pcName}, ${rcName}), fsw ${fsw.toString(16).padStart(4, '0')} (${fswList(fsw)}), tags ST0..7 ${tagString(ftw, top)}`,
  ];
  const x: XState = { fcw, fsw, ftw, st: [] };
  for (let i = 0; i < 8; i++) {
    const v = { se: dv.getUint16(IN_ST + 10 * i + 8, true), mant: dv.getBigUint64(IN_ST + 10 * i, true) };
    if (isValid(x, i)) lines.push(`st(${i}) = ${showF80(v)}`);
  }
  const regs = GPR_NAMES.map((n, q) => `${n}=${dv.getBigUint64(IN_GPR + 8 * q, true).toString(16)}`);
  const f = dv.getUint32(IN_FLAGS, true);
  lines.push(`eflags [${FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(' ') || '-'}]  ${regs.join(' ')}`);
  lines.push(`scratch (0x${SCRATCH_ADDR.toString(16)}) 0..63: ${hexBytes(input.subarray(k * X_IN_RECORD + IN_MEM, k * X_IN_RECORD + IN_MEM + 64))}`);
  return lines.map((l) => `    ${l}`).join('\n');
}

/**
 * Mismatches that are known gaps of the emulator, reported as TODO (with the reason) rather than
 * as failures; everything else must match. Remove a row when its gap is closed.
 */
const KNOWN_GAPS: [RegExp, string][] = [
  [/ unmasked$/, 'unmasked overflow/underflow on a register destination: the exponent bias adjustment (SDM Vol. 1, 8.5.4-8.5.5) is not modelled; fprem/fprem1 condition codes under an unmasked exception'],
  [/^(f2xm1|fsin|fcos|fsincos|fptan|fpatan|fyl2x|fyl2xp1)\b/, 'transcendental results: C1 (rounding direction) and PE/UE in the last place follow the hardware\'s internal rounding, not ours (values stay within 2 ulps)'],
  [/^(fld m32fp|fld m64fp|fstp1)/, 'a denormal operand\'s DE beside a stack fault, and fstp1 on an empty stack, differ in corner cases'],
  [/^sequence/, 'sequences that contain one of the gaps above, or a DE beside a NaN or stack fault'],
];
function knownGap(name: string): string | null {
  for (const [re, why] of KNOWN_GAPS) if (re.test(name)) return why;
  return null;
}

await t.test('x87 instructions match the host CPU', async (tt) => {
  const avail = nativeAvailable();
  if (!avail.ok) {
    if (process.env.CI === 'true') tt.fail(`x87 test prerequisites missing: ${avail.reason}`);
    else tt.pass('x87: native side unavailable', { skip: avail.reason });
    return;
  }
  const forms = selectForms();
  const seed = parseSeed();
  const count = Number(process.env.X87_CASES ?? 20_000);
  if (!Number.isInteger(count) || count <= 0) throw new Error('X87_CASES must be a positive integer');
  tt.comment(`x87: seed ${seed} (replay with X87_SEED=${seed}), ${count} cases, ${forms.length} forms`);
  process.stderr.write(`# x87: X87_SEED=${seed} X87_CASES=${count}\n`);

  const t0 = Date.now();
  const { input, meta } = generate(forms, seed, count);
  const t1 = Date.now();
  const harness = buildHarness();
  let nat: Buffer;
  try { nat = runNative(harness.bin, input); } finally { harness.cleanup(); }
  const t2 = Date.now();
  const emu = new X87Emulator();
  const emuOut = new Uint8Array(count * X_OUT_RECORD);
  const crashes = new Map<number, string>();
  for (let k = 0; k < count; k++) {
    emu.crash = '';
    emu.run(input, k, emuOut);
    if (emu.crash) crashes.set(k, emu.crash);
  }
  const t3 = Date.now();

  // Group by form (addressing variants folded in; " unmasked" and " pending" kept apart).
  interface Group { fails: number; total: number; examples: number[]; fields: Map<string, number> }
  const groups = new Map<string, Group>();
  const details = new Map<number, Diff[]>();
  let passed = 0;
  const famOf = new Map(X87_FORMS.map((f) => [f.name, f.family]));
  const families = new Map<string, { fails: number; total: number }>();
  for (let k = 0; k < count; k++) {
    const m = meta[k];
    const key = m.names.length === 1 ? m.names[0].replace(VARIANT_RE, '') : 'sequence';
    let gr = groups.get(key);
    if (!gr) groups.set(key, gr = { fails: 0, total: 0, examples: [], fields: new Map() });
    gr.total++;
    const fam = m.names.length === 1 ? famOf.get(m.forms[0].name) ?? '?' : 'sequences';
    const fa = families.get(fam) ?? { fails: 0, total: 0 };
    fa.total++;
    families.set(fam, fa);
    const d = compareX87(input, nat, emuOut, k, m.masks);
    if (d.length === 0) { passed++; continue; }
    gr.fails++;
    fa.fails++;
    for (const x of new Set(d.map((q) => q.field))) gr.fields.set(x, (gr.fields.get(x) ?? 0) + 1);
    if (key === 'sequence' || gr.examples.length < (process.env.X87_REPORT_ALL ? 1e9 : 4)) gr.examples.push(k);
    details.set(k, d);
  }
  const t4 = Date.now();
  tt.comment(`x87: ${passed} of ${count} cases match, ${count - passed} mismatch; generate ${t1 - t0} ms, native ${t2 - t1} ms, emulator ${t3 - t2} ms, compare ${t4 - t3} ms`);
  tt.comment(`by family (mismatching/total): ${[...families].sort((a, b) => a[0].localeCompare(b[0])).map(([n, f]) => `${n} ${f.fails}/${f.total}`).join(', ')}`);

  // A sequence mismatch is explained when one of its forms mismatches on its own; the others are
  // reported apart (they point at state carried from one instruction to the next).
  const seqGroup = groups.get('sequence');
  if (seqGroup && seqGroup.fails > 0) {
    const unexplained: Group = { fails: 0, total: seqGroup.total, examples: [], fields: new Map() };
    for (const k of seqGroup.examples) {
      if (meta[k].names.some((n) => (groups.get(n.replace(VARIANT_RE, ''))?.fails ?? 0) > 0)) continue;
      unexplained.fails++;
      for (const x of new Set(details.get(k)!.map((q) => q.field))) unexplained.fields.set(x, (unexplained.fields.get(x) ?? 0) + 1);
      unexplained.examples.push(k);
    }
    groups.delete('sequence');
    groups.set('sequence (every form passes alone)', unexplained);
    groups.set('sequence (with a form that fails alone)', { ...seqGroup, fails: seqGroup.fails - unexplained.fails, total: seqGroup.total, examples: seqGroup.examples.filter((k) => !unexplained.examples.includes(k)) });
  }
  const failing = [...groups.entries()].filter(([, gr]) => gr.fails > 0).sort((a, b) => b[1].fails - a[1].fails || a[0].localeCompare(b[0]));
  const shown = failing.flatMap(([, gr]) => gr.examples.slice(0, 2));
  const dis = disassemble(shown.map((k) => codeOf(input, k)), shown.map((k) => codeAddrOf(input, k)));
  const disOf = new Map(shown.map((k, j) => [k, dis[j]]));
  const report = (k: number): string => [
    `case ${k} (X87_SEED=${seed}): ${meta[k].names.join(' ; ')}`,
    `    bytes at 0x${codeAddrOf(input, k).toString(16)}: ${hexBytes(codeOf(input, k))}${disOf.get(k) ? `   (${disOf.get(k)})` : ''}`,
    describeInputs(input, k),
    ...(details.get(k) ?? []).map((d) => `    ${d.text}`),
    ...(crashes.has(k) ? [`    emulator says: ${crashes.get(k)}`] : []),
  ].join('\n');
  const fieldSummary = (gr: Group) => [...gr.fields].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ');

  for (const [name, gr] of failing) {
    const gap = knownGap(name);
    tt.fail(`${name}: ${gr.fails} of ${gr.total} cases mismatch (${fieldSummary(gr)})`, { diagnostic: true, example: gr.examples.slice(0, 2).map(report).join('\n'), ...(gap ? { todo: gap } : {}) } as object);
  }
  const formGroups = [...groups.entries()].filter(([n]) => !n.startsWith('sequence'));
  tt.pass(`${formGroups.filter(([, gr]) => gr.fails === 0).length} of ${formGroups.length} form groups match in every case`);
  if (count >= 40 * forms.length) {
    const seen = new Set(meta.filter((m) => m.names.length === 1).map((m) => m.forms[0].name));
    tt.same(forms.filter((f) => !seen.has(f.name)).map((f) => f.name), [], 'every form was generated as a single instruction');
  }
  if (process.env.X87_REPORT) {
    const lines = [`x87: seed ${seed}, ${count} cases, ${passed} pass, ${count - passed} fail`, ''];
    const n = process.env.X87_REPORT_ALL ? Infinity : 4;
    for (const [name, gr] of failing) lines.push(`== ${name}: ${gr.fails}/${gr.total} (${fieldSummary(gr)})`, ...gr.examples.slice(0, n).map(report), '');
    writeFileSync(process.env.X87_REPORT, lines.join('\n'));
  }
});
