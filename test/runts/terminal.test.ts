// `runts do -- /bin/busybox sh` as an interactive shell in a terminal, driven through tmux: the
// guest's own tty (line discipline, echo, Ctrl-C to the foreground job, Ctrl-Z and fg, the window
// size and its changes) over the host terminal in raw mode, which is restored when runts exits.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';

const root = join(import.meta.dirname, '..', '..', '..');
const cli = process.env.TSVISOR_CLI ?? join(root, 'dist', 'container-runtime', 'main.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `tsvisor-test-${process.pid}`;
const session = 'guest';

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  return r.stdout;
}

const screen = () => tmux('capture-pane', '-p', '-t', session);

/** Waits until the screen shows `pattern` (at most `ms`); returns the screen. */
async function waitFor(pattern: RegExp, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (pattern.test(s) || Date.now() > end) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
}

t.test('an interactive busybox sh on the guest tty', { skip: hasTmux ? false : 'needs tmux' }, async (t) => {
  t.teardown(() => { tmux('kill-server'); });
  const cmd = `"${process.execPath}" "${cli}" do -- /bin/busybox sh; echo "EXITED $?"; stty -a; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd);
  const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);

  t.match(await waitFor(/ #\s*$/m), / #\s*$/m, 'the prompt');
  keys('echo hello $((6 * 7))', 'Enter');
  t.match(await waitFor(/^hello 42$/m), /^hello 42$/m, 'a command runs, its input echoed');

  keys('stty size', 'Enter');
  t.match(await waitFor(/^30 100$/m), /^30 100$/m, 'the window size (TIOCGWINSZ)');
  tmux('resize-window', '-t', session, '-x', '90', '-y', '25');
  await new Promise((r) => setTimeout(r, 500));
  keys('stty size', 'Enter');
  t.match(await waitFor(/^25 90$/m), /^25 90$/m, 'a resize reaches the guest');

  keys('sleep 30', 'Enter');
  await new Promise((r) => setTimeout(r, 1000));
  keys('C-c');
  keys('echo "interrupted: $?"', 'Enter');
  t.match(await waitFor(/^interrupted: 130$/m), /^interrupted: 130$/m, 'Ctrl-C ends the foreground sleep (SIGINT)');

  keys('sleep 3', 'Enter');
  await new Promise((r) => setTimeout(r, 1000));
  keys('C-z');
  t.match(await waitFor(/Stopped\s+sleep 3/), /Stopped\s+sleep 3/, 'Ctrl-Z stops the foreground job');
  keys('fg', 'Enter');
  keys('echo "resumed: $?"', 'Enter');
  t.match(await waitFor(/^resumed: 0$/m), /^resumed: 0$/m, 'fg resumes it and it finishes');

  keys('exit 7', 'Enter');
  const end = await waitFor(/^EXITED 7$/m);
  t.match(end, /^EXITED 7$/m, 'the shell\'s status comes back');
  t.match(await waitFor(/ icanon /), / icanon .* echo /s, 'the host terminal is back in cooked mode');
});
