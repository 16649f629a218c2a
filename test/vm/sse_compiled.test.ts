// The SSE/SSE2/MMX host comparison again, with every block run by the block compiler
// (vm/cpu/block_compiler.ts inlines the common SSE2 integer forms).
process.env.SSE_COMPILED = '1';
await import('./sse.test.js');
