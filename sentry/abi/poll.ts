// poll(2) and epoll(7) event bits (Linux include/uapi/asm-generic/poll.h, uapi/linux/eventpoll.h).
// epoll's EPOLLIN... are the same bits as poll's POLLIN...; only the flag bits are epoll's own.

export const POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20,
  POLLRDNORM = 0x40, POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200, POLLMSG = 0x400, POLLRDHUP = 0x2000;

/** What a file without a poll operation answers: always readable and writable (fs/select.c). */
export const DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

export const EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 2 ** 31;
