// The codec on untrusted bytes, and the Gofer process facing garbage, truncated and oversized
// frames: it answers with an errno or closes that connection, and never crashes.
import t from 'tap';
import fs from 'node:fs';
import { Packr } from 'msgpackr';
import {
  Errno, FrameReader, MAX_FRAME_LEN, Op, decodeReply, decodeRequest, encodeRequest, type RawFrame,
} from '../../gofer/protocol.js';
import { Ops, enc, spawnGofer, stopGofer, tmpTree } from './harness.js';

t.setTimeout(60_000);

const dirs: string[] = [];
function tmpDir(): string { const d = tmpTree(); dirs.push(d); return d; }
t.teardown(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function header(len: number, tag: number, word: number): Uint8Array {
  const b = new Uint8Array(12);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, len, true); dv.setUint32(4, tag, true); dv.setUint32(8, word, true);
  return b;
}
function frameOf(tag: number, word: number, body: Uint8Array): Uint8Array {
  const b = new Uint8Array(12 + body.length);
  b.set(header(8 + body.length, tag, word)); b.set(body, 12);
  return b;
}
// A simple seeded generator, so a failure can be replayed.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

t.test('FrameReader cuts frames at any chunk boundary', async (t) => {
  const f1 = encodeRequest(1, { op: 'FStat', args: { handle: 5 } });
  const f2 = encodeRequest(2, { op: 'Walk', args: { dir: 1, names: [enc('a'), enc('b')] } });
  const all = new Uint8Array([...f1, ...f2]);
  const r = new FrameReader();
  const got = [];
  for (const byte of all) got.push(...r.push(new Uint8Array([byte])));
  t.same(got.map((e) => e.kind === 'frame' ? e.frame.tag : -1), [1, 2]);
  const d = decodeRequest((got[1] as { frame: RawFrame }).frame);
  t.ok(d.ok && d.value.op === 'Walk' && d.value.args.names.length === 2);
  t.same(new FrameReader().push(header(MAX_FRAME_LEN + 1, 9, 1)).map((e) => [e.kind, (e as { tag?: number }).tag]), [['bad', 9]]);
  t.same(new FrameReader().push(header(4, 7, 0).subarray(0, 8)).map((e) => e.kind), ['short']);
});

t.test('decodeRequest never throws on garbage', async (t) => {
  const next = rng(12345);
  const packr = new Packr({ useRecords: false } as ConstructorParameters<typeof Packr>[0]);
  const values: unknown[] = [null, 1, -1, 2 ** 60, 'x', [], {}, { dir: -1 }, { dir: 1.5 }, { dir: 1, names: 'a' },
    { dir: 1, names: [1] }, { dir: 1, names: new Array(300).fill('a') }, { handle: 2 ** 32 }, { fd: 1, offset: -5, count: 1 },
    { fd: 1, offset: 0, count: 2 ** 30 }, { __proto__: { dir: 1 } }, { mount: { toString: 1 } }, { mask: 99, handle: 1 }];
  let decoded = 0;
  let wrong = 0;
  for (const op of Object.values(Op)) {
    for (const v of values) {
      const d = decodeRequest({ tag: 1, word: op, body: packr.pack(v) });
      if (d.ok) decoded++; else if (d.errno !== Errno.EINVAL) wrong++;
    }
    for (let i = 0; i < 300; i++) {
      const body = new Uint8Array(Math.floor(next() * 64));
      for (let k = 0; k < body.length; k++) body[k] = Math.floor(next() * 256);
      const d = decodeRequest({ tag: 1, word: op, body });
      if (!d.ok && d.errno !== Errno.EINVAL) wrong++;
      decodeReply('Walk', { tag: 1, word: 0, body }); // must not throw either
    }
  }
  t.equal(wrong, 0, 'every garbage body is EINVAL or a valid message');
  // Deep nesting overflows msgpackr's recursion: still only an error.
  const deep = new Uint8Array(200_000).fill(0x91);
  t.equal((decodeRequest({ tag: 1, word: Op.FStat, body: deep }) as { errno: number }).errno, Errno.EINVAL);
  t.equal((decodeRequest({ tag: 1, word: 999, body: new Uint8Array() }) as { errno: number }).errno, Errno.ENOSYS);
  t.equal((decodeReply('FStat', { tag: 1, word: 0, body: packr.pack({ stat: { ino: 'x' } }) }) as { errno: number }).errno, Errno.EIO);
  t.comment(`${decoded} garbage values happened to be valid messages`);
});

/** Collects raw reply frames by tag, beside the harness's client. */
function rawReplies(sock: NodeJS.ReadableStream): Map<number, RawFrame> {
  const r = new FrameReader();
  const m = new Map<number, RawFrame>();
  sock.on('data', (c: Uint8Array) => { for (const e of r.push(c)) if (e.kind === 'frame') m.set(e.frame.tag, e.frame); });
  return m;
}
async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((res) => setTimeout(res, 5));
  return cond();
}

t.test('garbage and truncated bodies get an errno; the Gofer keeps serving', async (t) => {
  const dir = tmpDir();
  const g = spawnGofer([`root=${dir}`]);
  t.teardown(() => stopGofer(g));
  const o = new Ops(g.client);
  const raw = rawReplies(g.sock);
  const base = 0x80000000; // far from the client's own tags
  g.sock.write(frameOf(base + 1, Op.Walk, new Uint8Array([0xc1, 0xff, 0x00])));           // not msgpack
  g.sock.write(frameOf(base + 2, Op.Walk, new Uint8Array([0x82, 0xa3, 0x64])));           // truncated map
  g.sock.write(frameOf(base + 3, 4242, new Uint8Array()));                                 // unknown op
  g.sock.write(frameOf(base + 4, Op.FStat, new Uint8Array([0x81, 0xa6, 0x68, 0x61, 0x6e, 0x64, 0x6c, 0x65, 0xa1, 0x31]))); // handle: "1"
  g.sock.write(header(4, base + 5, 0).subarray(0, 8));                                     // len 4: tag only
  const next = rng(777);
  for (let i = 0; i < 200; i++) {
    const body = new Uint8Array(1 + Math.floor(next() * 100));
    for (let k = 0; k < body.length; k++) body[k] = Math.floor(next() * 256);
    g.sock.write(frameOf(base + 100 + i, 1 + Math.floor(next() * 25), body));
  }
  t.ok(await until(() => raw.has(base + 299)), 'every garbage frame answered');
  t.equal(raw.get(base + 1)?.word, Errno.EINVAL);
  t.equal(raw.get(base + 2)?.word, Errno.EINVAL);
  t.equal(raw.get(base + 3)?.word, Errno.ENOSYS);
  t.equal(raw.get(base + 4)?.word, Errno.EINVAL);
  t.equal(raw.get(base + 5)?.word, Errno.EINVAL);
  const r = await o.root();
  t.ok(r.handle > 0, 'still serving');
  t.equal(g.child.exitCode, null);
});

t.test('an oversized frame gets EMSGSIZE and closes that connection', async (t) => {
  const dir = tmpDir();
  const g = spawnGofer([`root=${dir}`]);
  const raw = rawReplies(g.sock);
  const o = new Ops(g.client);
  await o.root();
  g.sock.write(header(MAX_FRAME_LEN + 1, 0x90000001, Op.PWrite));
  const ex = await g.exited;
  t.equal(raw.get(0x90000001)?.word, Errno.EMSGSIZE);
  t.same(ex, { code: 0, signal: null }, 'the only connection closed, so the Gofer exited cleanly');
  t.equal((await g.client.call('FStat', { handle: 1 })) .ok, false);
});

t.test('the Gofer exits when the channel closes, even inside a frame', async (t) => {
  const dir = tmpDir();
  const g = spawnGofer([`root=${dir}`]);
  await new Ops(g.client).root();
  g.sock.write(header(100, 1, Op.Walk)); // a frame that never completes
  g.sock.end();
  const ex = await g.exited;
  t.same(ex, { code: 0, signal: null });
});

t.test('a killed Gofer fails pending and later calls with EIO', async (t) => {
  const dir = tmpDir();
  const g = spawnGofer([`root=${dir}`]);
  const o = new Ops(g.client);
  await o.root();
  g.child.kill('SIGKILL');
  await g.exited;
  const r = await g.client.call('Mount', { mount: 'root' });
  t.same(r, { ok: false, errno: Errno.EIO });
});

t.test('bad command lines fail at startup', async (t) => {
  const g = spawnGofer(['root=/nonexistent/dir/for/gofer']);
  const ex = await g.exited;
  t.equal(ex.code, 2);
  t.match(g.stderr(), /ENOENT|no such file/i);
});
