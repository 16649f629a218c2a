// Loads every instruction family, each of which registers its opcodes with the decoder.
import './alu.js';
import './mov.js';
import './stack.js';
import './shift.js';
import './muldiv.js';
import './bit.js';
import './string.js';
import './system.js';
import './groups.js';
import './x87.js';
import './fxsave.js';
import './sse_move.js';
import './sse_int.js';
import './sse_fp.js';
import './sse_convert.js';
import './mmx.js';
