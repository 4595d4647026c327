/* sim.c - the simulator's event loop: epoll, non-blocking sockets, one
 * timer heap for every delayed write. A connection answers one request at
 * a time (HTTP/1.1 keep-alive); sim_api.c turns the request into timed
 * segments, written here when their time comes. Nothing blocks, so
 * thousands of connections cost one thread. */
#define _GNU_SOURCE
#include "sim/sim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim/sim_api.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/msg.h"
#include "util/xalloc.h"

#define MAX_HEAD 65536
#define MAX_BODY (64 << 20)

struct conn {
	int fd;                /* -1 when the slot is free */
	unsigned gen;          /* bumps on every close; stale timers are ignored */
	struct buf in;         /* bytes read, not yet consumed */
	struct buf out;        /* bytes being written */
	size_t out_off;
	struct sim_reply reply;/* the answer being sent, segment by segment */
	size_t next_seg;
	double arrived_ms;
	int busy;              /* a request is being answered */
	int close_after;       /* Connection: close */
	int want_write;
};

struct timer {
	double due_ms;
	int fd;
	unsigned gen;
};

struct server {
	struct sim_api *api;
	const struct sim_server_opts *o;
	int ep, lfd;
	struct conn **conns;   /* by fd */
	size_t nconns_cap;
	struct timer *heap;    /* min-heap on due_ms */
	size_t nheap, heapcap;
	unsigned long long served;
	size_t open;
};

static volatile sig_atomic_t sim_stop;

static void on_signal(int sig)
{
	(void)sig;
	sim_stop = 1;
}

/* ---- timer heap ---- */

static void heap_push(struct server *s, struct timer t)
{
	XGROW(s->heap, s->heapcap, s->nheap + 1);
	size_t i = s->nheap++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (s->heap[p].due_ms <= t.due_ms)
			break;
		s->heap[i] = s->heap[p];
		i = p;
	}
	s->heap[i] = t;
}

static struct timer heap_pop(struct server *s)
{
	struct timer top = s->heap[0], last = s->heap[--s->nheap];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap && s->heap[c + 1].due_ms < s->heap[c].due_ms)
			c++;
		if (last.due_ms <= s->heap[c].due_ms)
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->nheap)
		s->heap[i] = last;
	return top;
}

/* ---- connections ---- */

static struct conn *conn_get(struct server *s, int fd)
{
	if ((size_t)fd >= s->nconns_cap) {
		size_t old = s->nconns_cap;
		XGROW(s->conns, s->nconns_cap, (size_t)fd + 1);
		memset(s->conns + old, 0, (s->nconns_cap - old) * sizeof(*s->conns));
	}
	if (!s->conns[fd]) {
		s->conns[fd] = xcalloc(1, sizeof(struct conn));
		s->conns[fd]->fd = -1;
	}
	return s->conns[fd];
}

static void conn_close(struct server *s, struct conn *c, int reset)
{
	if (reset) {
		struct linger l = { 1, 0 };
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	}
	epoll_ctl(s->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	buf_reset(&c->in);
	buf_reset(&c->out);
	sim_reply_release(&c->reply);
	c->next_seg = c->out_off = 0;
	c->busy = c->close_after = c->want_write = 0;
	c->gen++;
	c->fd = -1;
	s->open--;
}

static void set_events(struct server *s, struct conn *c, int write)
{
	if (c->want_write == write)
		return;
	struct epoll_event ev = { .events = EPOLLIN | (write ? EPOLLOUT : 0), .data.fd = c->fd };
	epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &ev);
	c->want_write = write;
}

static int take_request(struct server *s, struct conn *c);

/* the next segment is due now or later */
static void schedule_next(struct server *s, struct conn *c)
{
	heap_push(s, (struct timer){ c->arrived_ms + c->reply.seg[c->next_seg].at_ms, c->fd, c->gen });
}

/* writes what is pending; after a segment, moves on to the next or ends the reply */
static void try_write(struct server *s, struct conn *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
		if (n > 0) {
			c->out_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			set_events(s, c, 1);
			return;
		}
		conn_close(s, c, 0);
		return;
	}
	set_events(s, c, 0);
	buf_reset(&c->out);
	c->out_off = 0;
	if (c->next_seg > 0 && c->reply.seg[c->next_seg - 1].close) {
		conn_close(s, c, 0);
		return;
	}
	if (c->next_seg < c->reply.n) {
		schedule_next(s, c);
		return;
	}
	if (c->reply.n == 0)
		return; /* a stall: hold the connection until the client leaves */
	sim_reply_release(&c->reply);
	c->next_seg = 0;
	c->busy = 0;
	if (c->close_after) {
		conn_close(s, c, 0);
		return;
	}
	take_request(s, c); /* a pipelined request may be waiting */
}

/* a segment's time has come */
static void send_segment(struct server *s, struct conn *c)
{
	const struct sim_segment *seg = &c->reply.seg[c->next_seg++];
	if (seg->reset) {
		conn_close(s, c, 1);
		return;
	}
	buf_append(&c->out, seg->data, seg->len);
	try_write(s, c);
}

/* handles one complete request at the front of c->in, if there is one;
 * returns 1 when a request was taken */
static int take_request(struct server *s, struct conn *c)
{
	if (c->busy || c->fd < 0)
		return 0;
	const char *data = buf_str(&c->in);
	char *end = memmem(data, c->in.len, "\r\n\r\n", 4);
	if (!end) {
		if (c->in.len > MAX_HEAD)
			conn_close(s, c, 0);
		return 0;
	}
	size_t head_len = (size_t)(end - data) + 4;
	char method[16] = "", path[512] = "", cl[32] = "", conn_hdr[32] = "";
	if (sscanf(data, "%15s %511s", method, path) != 2) {
		conn_close(s, c, 0);
		return 0;
	}
	size_t body_len = sim_header(data, head_len, "Content-Length", cl, sizeof(cl)) ? strtoul(cl, NULL, 10) : 0;
	if (body_len > MAX_BODY) {
		conn_close(s, c, 0);
		return 0;
	}
	if (c->in.len < head_len + body_len)
		return 0;
	if (sim_header(data, head_len, "Connection", conn_hdr, sizeof(conn_hdr)) &&
	    strncasecmp(conn_hdr, "close", 5) == 0)
		c->close_after = 1;
	char *q = strchr(path, '?');
	if (q)
		*q = '\0';
	c->busy = 1;
	c->arrived_ms = clock_ms();
	struct sim_request rq = { method, path, data, data + head_len, head_len, body_len };
	sim_api_handle(s->api, &rq, &c->reply);
	size_t used = head_len + body_len;
	memmove(c->in.data, c->in.data + used, c->in.len - used);
	c->in.len -= used;
	c->in.data[c->in.len] = '\0';
	s->served++;
	c->next_seg = 0;
	if (c->reply.n > 0)
		schedule_next(s, c);
	return 1;
}

static void on_readable(struct server *s, struct conn *c)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = recv(c->fd, chunk, sizeof(chunk), 0);
		if (n > 0) {
			buf_append(&c->in, chunk, (size_t)n);
			if (c->in.len > MAX_HEAD + MAX_BODY) {
				conn_close(s, c, 0);
				return;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		conn_close(s, c, 0); /* EOF or error; a pending timer finds a new generation */
		return;
	}
	take_request(s, c);
}

static void on_accept(struct server *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if ((int)s->open >= s->o->max_connections) {
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct conn *c = conn_get(s, fd);
		c->fd = fd;
		c->gen++;
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
		epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev);
		s->open++;
	}
}

/* binds and listens on loopback only; port 0 picks a free port, written to *bound */
static int listen_on(const char *spec, int *bound)
{
	char host[128];
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec)
		return error("--listen: '%s' is not HOST:PORT", spec);
	size_t hl = (size_t)(colon - spec);
	if (hl >= sizeof(host))
		return error("--listen: host too long");
	memcpy(host, spec, hl);
	host[hl] = '\0';
	int port = atoi(colon + 1);
	if (port < 0 || port > 65535 || !colon[1])
		return error("--listen: '%s' is not a port", colon + 1);
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof(ss));
	int family;
	if (host[0] == '[' && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			return error("--listen: '%s' is not an IPv6 address", host + 1);
		if (!IN6_IS_ADDR_LOOPBACK(&a->sin6_addr))
			return error("--listen: the simulator only listens on loopback");
		family = AF_INET6;
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (strcmp(host, "localhost") == 0)
			strcpy(host, "127.0.0.1");
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return error("--listen: '%s' is not an IPv4 address", host);
		if ((ntohl(a->sin_addr.s_addr) >> 24) != 127)
			return error("--listen: the simulator only listens on loopback (127.0.0.0/8 or [::1])");
		family = AF_INET;
		sl = sizeof(*a);
	}
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error("socket: %s", strerror(errno));
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 4096) < 0) {
		int e = errno;
		close(fd);
		return error("cannot listen on %s: %s", spec, strerror(e));
	}
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*bound = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					 : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static void raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int sim_serve(struct sim_world *w, const struct sim_server_opts *o)
{
	struct server s = { .o = o };
	raise_nofile();
	int port = 0;
	s.lfd = listen_on(o->listen, &port);
	if (s.lfd < 0)
		return -1;
	s.api = sim_api_new(w);
	char host[128];
	snprintf(host, sizeof(host), "%.*s", (int)(strrchr(o->listen, ':') - o->listen), o->listen);
	s.ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = s.lfd };
	epoll_ctl(s.ep, EPOLL_CTL_ADD, s.lfd, &ev);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* always printed: scripts that asked for port 0 read the port from here */
	fprintf(stderr, "tokenbench sim: listening on http://%s:%d/v1 with %zu models, %zu known tasks\n", host,
		port, w->n, w->suite.n);
	struct epoll_event evs[512];
	while (!sim_stop) {
		int timeout = -1;
		if (s.nheap) {
			double wait = s.heap[0].due_ms - clock_ms();
			timeout = wait <= 0 ? 0 : (int)ceil(wait);
		}
		if (timeout < 0 || timeout > 500)
			timeout = 500;
		int n = epoll_wait(s.ep, evs, 512, timeout);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == s.lfd) {
				on_accept(&s);
				continue;
			}
			struct conn *c = conn_get(&s, fd);
			if (c->fd < 0)
				continue;
			if (evs[i].events & (EPOLLERR | EPOLLHUP)) {
				conn_close(&s, c, 0);
				continue;
			}
			if (evs[i].events & EPOLLOUT)
				try_write(&s, c);
			if (c->fd >= 0 && (evs[i].events & EPOLLIN))
				on_readable(&s, c);
		}
		double now = clock_ms();
		while (s.nheap && s.heap[0].due_ms <= now) {
			struct timer t = heap_pop(&s);
			struct conn *c = conn_get(&s, t.fd);
			if (c->fd == t.fd && c->gen == t.gen && c->busy && c->next_seg < c->reply.n)
				send_segment(&s, c);
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	if (!o->quiet)
		fprintf(stderr, "tokenbench sim: %llu requests served, cpu %.3fs user %.3fs sys\n", s.served,
			(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
			(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	for (size_t i = 0; i < s.nconns_cap; i++) {
		struct conn *c = s.conns[i];
		if (!c)
			continue;
		if (c->fd >= 0)
			close(c->fd);
		buf_release(&c->in);
		buf_release(&c->out);
		sim_reply_release(&c->reply);
		free(c);
	}
	free(s.conns);
	free(s.heap);
	sim_api_free(s.api);
	close(s.ep);
	close(s.lfd);
	return 0;
}
