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
