// The opcode groups whose members live in different families: group 3 (F6/F7: test not neg mul
// imul div idiv) and groups 4/5 (FE/FF: inc dec call jmp push).

import { defOp, Imm } from '../decoder.js';
import { ARITH_FLAGS, CF } from '../flags.js';
import type { Insn } from '../insn.js';
import { group3Alu, incDecE } from './alu.js';
import { group3MulDiv } from './muldiv.js';
import { group5Branches } from './stack.js';

function group3(i: Insn) {
  const r = i.reg & 7;
  i.flagsRead = 0;
  i.flagsWritten = r === 2 ? 0 : ARITH_FLAGS;
  if (r < 2) { if (i.osz === 1) i.imm &= 0xff; else if (i.osz === 2) i.imm &= 0xffff; return group3Alu.testEI; }
  if (r === 2) return group3Alu.notE;
  if (r === 3) return group3Alu.negE;
  if (r < 6) return group3MulDiv.mul1;
  i.flagsWritten = 0; // div leaves the flags undefined: treat them as not written
  return group3MulDiv.div1;
}
defOp(0xf6, { lockable: (i) => (i.reg & 7) === 2 || (i.reg & 7) === 3, modrm: true, imm: Imm.GRP3, byte: true, pick: group3 });
defOp(0xf7, { lockable: (i) => (i.reg & 7) === 2 || (i.reg & 7) === 3, modrm: true, imm: Imm.GRP3, pick: group3 });

function incDecFlags(i: Insn): void {
  i.flagsRead = CF; // preserved, so the previous producer's CF is still live
  i.flagsWritten = ARITH_FLAGS & ~CF;
}
defOp(0xfe, { lockable: true, modrm: true, imm: Imm.NONE, byte: true, pick: (i) => ((i.reg & 7) < 2 ? (incDecFlags(i), incDecE) : null) });
defOp(0xff, {
  lockable: (i) => (i.reg & 7) < 2, modrm: true, imm: Imm.NONE,
  pick: (i) => {
    const r = i.reg & 7;
    if (r < 2) { incDecFlags(i); return incDecE; }
    i.flagsRead = 0;
    if (r === 2 || r === 4 || r === 6) {
      if (!i.p66 || r !== 6) i.osz = 8; // near call/jmp are always 64-bit; push defaults to 64
      if (r === 6) return group5Branches.pushE;
      i.endsBlock = true;
      return r === 2 ? group5Branches.callE : group5Branches.jmpE;
    }
    return null; // far call/jmp
  },
});
