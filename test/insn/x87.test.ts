// Owns the x87 suite and its test (the case builder, grouping and known gaps): the x87 FPU against
// the host CPU (DESIGN.md, Testing).
//
// Generated cases (test/insn/x87_forms.ts: every D8-DF form, memory operands in every format and
// addressing form, fxsave/fxrstor, the undocumented aliases and reserved encodings, and short
// sequences of forms) run natively through test/insn/harness.c (built with -DX87: x87 state loaded
// with fxrstor, dumped with fxsave) and in the emulator (register file slots set and read
// directly), by the driver of test/insn/suite.ts. Compared: FSW (condition codes the SDM leaves
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
//   X87_COMPILED=1  run every case through the block compiler instead of the interpreter loop
//   CI=true         a missing gcc fails instead of skipping
//
// Run: npx tsc -p tsconfig.json && npx tap dist/test/insn/x87.test.js

import t from 'tap';
import { le, type Gen } from './gen.js';
import { FLAG_NAMES, GPR_NAMES, hexBytes, IN_FLAGS, IN_GPR, IN_MEM, SCRATCH_ADDR } from './machine.js';
import {
  compareX87, fswList, IN_ST, IN_X87, showF80, tagString, X87_LAYOUT, X87Emulator, X_MEM_SIZE, type X87Masks,
} from './x87_machine.js';
import { CC, fixSummary, isValid, newState, PENDING_MF, X87_FORMS, type Ctx, type XForm, type XIns, type XState } from './x87_forms.js';
import { runSuite, type CaseBuilder, type Suite, type Tally } from './suite.js';

t.setTimeout(180 * 1000);

/** Addressing and encoding variants that generators append to form names (Gen.variant): folded
 *  into their form when reporting. " unmasked" and " pending" (exception masks) are kept apart. */
const VARIANT_RE = /( a32( hi)?| wrap| gs| seg| hi| rex)+/g;

function cloneState(x: XState): XState { return { fcw: x.fcw, fsw: x.fsw, ftw: x.ftw, st: x.st.map((v) => ({ ...v })) }; }

/** Each case also gets a random x87 state and scratch bytes 64..191; single instructions sometimes
 *  run with exceptions unmasked or pending. */
function builder(g: Gen): CaseBuilder<XForm, XIns, X87Masks> {
  const r = g.r;
  let x!: XState;
  let ext = new Uint8Array(X_MEM_SIZE - 64);
  let ccUndef = 0, memUndef = 0n, approx = 0, approxFsw = 0;
  return {
    seqFraction: 0.2,
    begin() {
      x = newState(r);
      for (let b = 0; b < ext.length; b++) ext[b] = r.int(256);
      ccUndef = 0; memUndef = 0n; approx = 0; approxFsw = 0;
    },
    save() {
      const sx = cloneState(x), sext = ext.slice();
      return () => { x = sx; ext = sext; };
    },
    gen(f, n, seq) {
      const ctx: Ctx = { g, r, x, ext, first: n === 0, seq };
      const ins = f.gen(ctx);
      return ins === null || (f.readsCC && (ccUndef & CC)) ? null : ins;
    },
    place(ins) {
      ccUndef = (ccUndef & ~(ins.ccDef | ins.ccUndef)) | ins.ccUndef;
      memUndef |= ins.memUndef ?? 0n;
      approx |= ins.approx ?? 0;
      approxFsw |= ins.approxFsw ?? 0;
    },
    finish(names, used) {
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
      return { fsw: ccUndef, mem: memUndef, regs: 0, approx, ulps: approx ? 2 : 0, approxFsw };
    },
    write(input, dv, at) {
      input.set(ext, at + IN_MEM + 64);
      dv.setUint16(at + IN_X87, x.fcw, true);
      dv.setUint16(at + IN_X87 + 2, x.fsw, true);
      input[at + IN_X87 + 4] = x.ftw;
      for (let i = 0; i < 8; i++) {
        input.set(le(x.st[i].mant, 8), at + IN_ST + 10 * i);
        dv.setUint16(at + IN_ST + 10 * i + 8, x.st[i].se, true);
      }
    },
  };
}

function describeInputs(input: Uint8Array, k: number): string[] {
  const dv = new DataView(input.buffer, input.byteOffset + k * X87_LAYOUT.inRecord, X87_LAYOUT.inRecord);
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
  const at = k * X87_LAYOUT.inRecord + IN_MEM;
  lines.push(`scratch (0x${SCRATCH_ADDR.toString(16)}) 0..63: ${hexBytes(input.subarray(at, at + 64))}`);
  return lines;
}

/**
 * Mismatches that are known gaps of the emulator, reported as TODO (with the reason) rather than
 * as failures; everything else must match. Remove a row when its gap is closed.
 */
const KNOWN_GAPS: [RegExp, string][] = [];

const X87_SUITE: Suite<XForm, XIns, X87Masks> = {
  name: 'x87',
  env: 'X87',
  forms: X87_FORMS,
  defaultCases: 20_000,
  coverage: 40,
  layout: X87_LAYOUT,
  emulator: (compiled) => new X87Emulator(compiled),
  builder,
  compare: compareX87,
  describeInputs,
  // by form, addressing variants folded in; " unmasked" and " pending" kept apart
  keyOf: (name) => name.replace(VARIANT_RE, ''),
  knownGaps: KNOWN_GAPS,

  judge({ meta, byKey, diffs }, out) {
    const groups = new Map(byKey);
    // A sequence mismatch is explained when one of its forms mismatches on its own; the others are
    // reported apart (they point at state carried from one instruction to the next).
    const seqGroup = groups.get('sequence');
    if (seqGroup && seqGroup.fails > 0) {
      const unexplained: Tally = { fails: 0, total: seqGroup.total, examples: [], fields: new Map() };
      for (const k of seqGroup.examples) {
        if (meta[k].names.some((n) => (groups.get(n.replace(VARIANT_RE, ''))?.fails ?? 0) > 0)) continue;
        unexplained.fails++;
        for (const x of new Set(diffs.get(k)!.map((q) => q.field))) unexplained.fields.set(x, (unexplained.fields.get(x) ?? 0) + 1);
        unexplained.examples.push(k);
      }
      groups.delete('sequence');
      groups.set('sequence (every form passes alone)', unexplained);
      groups.set('sequence (with a form that fails alone)', { ...seqGroup, fails: seqGroup.fails - unexplained.fails, total: seqGroup.total, examples: seqGroup.examples.filter((k) => !unexplained.examples.includes(k)) });
    }
    const failing = [...groups.entries()].filter(([, gr]) => gr.fails > 0).sort((a, b) => b[1].fails - a[1].fails || a[0].localeCompare(b[0]));
    const fieldSummary = (gr: Tally) => [...gr.fields].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ');
    const inReport = process.env.X87_REPORT_ALL ? Infinity : 4;
    for (const [name, gr] of failing) out.group(name, gr, ` (${fieldSummary(gr)})`, inReport);
    const formGroups = [...groups.entries()].filter(([n]) => !n.startsWith('sequence'));
    out.pass(`${formGroups.filter(([, gr]) => gr.fails === 0).length} of ${formGroups.length} form groups match in every case`);
  },
};

await t.test('x87 instructions match the host CPU', async (tt) => {
  await runSuite(tt, X87_SUITE);
});
