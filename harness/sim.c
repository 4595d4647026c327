/* sim.c - the simulator's event loop: epoll, non-blocking sockets, one
 * timer heap for every delayed response. A connection holds at most one
 * request at a time (HTTP/1.1 keep-alive, no pipelining in parallel); its
 * response is built at once and written when its simulated latency is up.
 * Nothing blocks, so thousands of connections cost one thread. */
#define _GNU_SOURCE
#include "sim.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
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
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "msg.h"
#include "sha256.h"
#include "xalloc.h"

#define MAX_HEAD 65536
#define MAX_BODY (64 << 20)

struct conn {
	int fd;
	unsigned gen;          /* bumps when the slot is reused; stale timers are ignored */
	struct buf in;         /* bytes read, not yet consumed */
	struct buf out;        /* response being written */
	size_t out_off;
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
	const struct sim_world *w;
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

static double clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
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
		size_t cap = s->nconns_cap ? s->nconns_cap : 1024;
		while (cap <= (size_t)fd)
			cap *= 2;
		s->conns = xrealloc(s->conns, cap * sizeof(*s->conns));
		memset(s->conns + s->nconns_cap, 0, (cap - s->nconns_cap) * sizeof(*s->conns));
		s->nconns_cap = cap;
	}
	if (!s->conns[fd])
		s->conns[fd] = xcalloc(1, sizeof(struct conn));
	return s->conns[fd];
}

static void conn_close(struct server *s, struct conn *c)
{
	epoll_ctl(s->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	buf_reset(&c->in);
	buf_reset(&c->out);
	c->out_off = 0;
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

/* ---- responses ---- */

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	default: return "Error";
	}
}

static void respond(struct conn *c, int status, const char *body, size_t len)
{
	buf_reset(&c->out);
	c->out_off = 0;
	buf_printf(&c->out,
		   "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		   "Server: tokenbench-sim\r\n%s\r\n",
		   status, reason_phrase(status), len, c->close_after ? "Connection: close\r\n" : "");
	buf_append(&c->out, body, len);
}

static void respond_error(struct conn *c, int status, const char *type, const char *message)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *e = cJSON_AddObjectToObject(o, "error");
	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddStringToObject(e, "type", type);
	struct buf b = BUF_INIT;
	json_print(&b, o);
	cJSON_Delete(o);
	respond(c, status, b.data, b.len);
	buf_release(&b);
}

static void models_body(const struct sim_world *w, struct buf *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "object", "list");
	cJSON *data = cJSON_AddArrayToObject(o, "data");
	for (size_t i = 0; i < w->n; i++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "id", w->profiles[i].model);
		cJSON_AddStringToObject(m, "object", "model");
		cJSON_AddNumberToObject(m, "created", 1767225600);
		cJSON_AddStringToObject(m, "owned_by", "tokenbench-sim");
		cJSON_AddItemToArray(data, m);
	}
	json_print(b, o);
	cJSON_Delete(o);
}

/* the OpenAI chat.completion object for an answer */
static void completion_body(const char *model, const struct sim_answer *a, const char *id, struct buf *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "object", "chat.completion");
	cJSON_AddNumberToObject(o, "created", (double)time(NULL));
	cJSON_AddStringToObject(o, "model", model);
	cJSON *choices = cJSON_AddArrayToObject(o, "choices");
	cJSON *c0 = cJSON_CreateObject();
	cJSON_AddNumberToObject(c0, "index", 0);
	cJSON *msg = cJSON_AddObjectToObject(c0, "message");
	cJSON_AddStringToObject(msg, "role", "assistant");
	cJSON_AddStringToObject(msg, "content", a->text);
	cJSON_AddNullToObject(msg, "refusal");
	cJSON_AddNullToObject(c0, "logprobs");
	cJSON_AddStringToObject(c0, "finish_reason", a->finish_reason);
	cJSON_AddItemToArray(choices, c0);
	cJSON *u = cJSON_AddObjectToObject(o, "usage");
	cJSON_AddNumberToObject(u, "prompt_tokens", (double)a->prompt_tokens);
	cJSON_AddNumberToObject(u, "completion_tokens", (double)a->completion_tokens);
	cJSON_AddNumberToObject(u, "total_tokens", (double)(a->prompt_tokens + a->completion_tokens));
	cJSON *pd = cJSON_AddObjectToObject(u, "prompt_tokens_details");
	cJSON_AddNumberToObject(pd, "cached_tokens", (double)a->cached_tokens);
	cJSON_AddNumberToObject(pd, "audio_tokens", 0);
	cJSON *cd = cJSON_AddObjectToObject(u, "completion_tokens_details");
	cJSON_AddNumberToObject(cd, "reasoning_tokens", (double)a->reasoning_tokens);
	cJSON_AddNumberToObject(cd, "audio_tokens", 0);
	cJSON_AddNumberToObject(cd, "accepted_prediction_tokens", 0);
	cJSON_AddNumberToObject(cd, "rejected_prediction_tokens", 0);
	cJSON_AddStringToObject(o, "system_fingerprint", "fp_tokenbench_sim");
	json_print(b, o);
	cJSON_Delete(o);
}

/* builds the response for a chat completion; returns its delay in ms */
static double chat(struct server *s, struct conn *c, const char *body, size_t len)
{
	cJSON *req = json_parse(body, len);
	const char *model = json_str(req, "model", NULL);
	const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(req, "messages");
	if (!req || !model || !cJSON_IsArray(msgs)) {
		respond_error(c, 400, "invalid_request_error", "expected a JSON body with 'model' and 'messages'");
		cJSON_Delete(req);
		return 0;
	}
	const struct sim_profile *p = sim_find_model(s->w, model);
	if (!p) {
		char *m = xasprintf("The model `%s` does not exist", model);
		respond_error(c, 404, "invalid_request_error", m);
		free(m);
		cJSON_Delete(req);
		return 0;
	}
	const char *user = "";
	size_t prompt_bytes = 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, msgs) {
		const char *content = json_str(m, "content", "");
		prompt_bytes += strlen(content);
		if (strcmp(json_str(m, "role", ""), "user") == 0)
			user = content;
	}
	long seed = (long)json_num(req, "seed", 0);
	long max_tokens = (long)json_num(req, "max_tokens", json_num(req, "max_completion_tokens", 0));
	struct sim_answer a;
	sim_answer(s->w, p, user, prompt_bytes, seed, max_tokens, &a);
	char idsrc[96], id[65];
	snprintf(idsrc, sizeof(idsrc), "%s|%ld|%llu", model, seed, s->served);
	sha256_buf_hex(idsrc, strlen(idsrc), id);
	char chatid[48];
	snprintf(chatid, sizeof(chatid), "chatcmpl-%.24s", id);
	struct buf b = BUF_INIT;
	completion_body(model, &a, chatid, &b);
	respond(c, 200, b.data, b.len);
	buf_release(&b);
	double delay = a.latency_ms;
	sim_answer_release(&a);
	cJSON_Delete(req);
	return delay;
}

/* ---- request parsing ---- */

static int header_value(const char *head, size_t head_len, const char *name, char *out, size_t outn)
{
	size_t n = strlen(name);
	for (const char *p = head; p < head + head_len;) {
		const char *e = memmem(p, (size_t)(head + head_len - p), "\r\n", 2);
		if (!e)
			break;
		if ((size_t)(e - p) > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t k = (size_t)(e - v) < outn - 1 ? (size_t)(e - v) : outn - 1;
			memcpy(out, v, k);
			out[k] = '\0';
			return 1;
		}
		p = e + 2;
	}
	return 0;
}

static void try_write(struct server *s, struct conn *c);

/* handles one complete request at the front of c->in, if there is one;
 * returns 1 when a request was taken */
static int take_request(struct server *s, struct conn *c)
{
	if (c->busy || c->fd < 0)
		return 0;
	const char *data = buf_str(&c->in);
	char *end = memmem(data, c->in.len, "\r\n\r\n", 4);
	if (!end) {
		if (c->in.len > MAX_HEAD) {
			c->close_after = 1;
			respond_error(c, 413, "invalid_request_error", "request head too large");
			c->busy = 1;
			try_write(s, c);
		}
		return 0;
	}
	size_t head_len = (size_t)(end - data) + 4;
	char method[16] = "", path[512] = "", cl[32] = "", conn_hdr[32] = "";
	if (sscanf(data, "%15s %511s", method, path) != 2) {
		c->close_after = 1;
		respond_error(c, 400, "invalid_request_error", "malformed request line");
		c->busy = 1;
		try_write(s, c);
		return 0;
	}
	size_t body_len = header_value(data, head_len, "Content-Length", cl, sizeof(cl)) ? strtoul(cl, NULL, 10) : 0;
	if (body_len > MAX_BODY) {
		c->close_after = 1;
		respond_error(c, 413, "invalid_request_error", "request body too large");
		c->busy = 1;
		try_write(s, c);
		return 0;
	}
	if (c->in.len < head_len + body_len)
		return 0;
	if (header_value(data, head_len, "Connection", conn_hdr, sizeof(conn_hdr)) &&
	    strncasecmp(conn_hdr, "close", 5) == 0)
		c->close_after = 1;
	if (strstr(data, "HTTP/1.0") && strstr(data, "HTTP/1.0") < end && !strcasestr(conn_hdr, "keep-alive"))
		c->close_after = 1;
	c->busy = 1;
	double delay = 0;
	char *q = strchr(path, '?');
	if (q)
		*q = '\0';
	if (strcmp(path, "/v1/models") == 0 || strcmp(path, "/models") == 0) {
		struct buf b = BUF_INIT;
		models_body(s->w, &b);
		respond(c, 200, b.data, b.len);
		buf_release(&b);
	} else if (strcmp(path, "/v1/chat/completions") == 0 || strcmp(path, "/chat/completions") == 0) {
		if (strcmp(method, "POST") != 0)
			respond_error(c, 405, "invalid_request_error", "use POST");
		else
			delay = chat(s, c, data + head_len, body_len);
	} else {
		respond_error(c, 404, "invalid_request_error", "no such endpoint");
	}
	/* consume the request */
	size_t used = head_len + body_len;
	memmove(c->in.data, c->in.data + used, c->in.len - used);
	c->in.len -= used;
	c->in.data[c->in.len] = '\0';
	s->served++;
	if (delay <= 0) {
		try_write(s, c);
	} else {
		heap_push(s, (struct timer){ clock_ms() + delay, c->fd, c->gen });
	}
	return 1;
}

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
		conn_close(s, c);
		return;
	}
	set_events(s, c, 0);
	buf_reset(&c->out);
	c->out_off = 0;
	c->busy = 0;
	if (c->close_after) {
		conn_close(s, c);
		return;
	}
	take_request(s, c); /* a pipelined request may be waiting */
}

static void on_readable(struct server *s, struct conn *c)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = recv(c->fd, chunk, sizeof(chunk), 0);
		if (n > 0) {
			buf_append(&c->in, chunk, (size_t)n);
			if (c->in.len > MAX_HEAD + MAX_BODY) {
				conn_close(s, c);
				return;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		conn_close(s, c); /* EOF or error; a pending timer finds a new generation */
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
		unsigned gen = c->gen;
		buf_reset(&c->in);
		buf_reset(&c->out);
		c->fd = fd;
		c->gen = gen + 1;
		c->out_off = 0;
		c->busy = c->close_after = c->want_write = 0;
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
		epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev);
		s->open++;
	}
}

/* binds and listens; port 0 picks a free port, written to *bound */
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

int sim_serve(const struct sim_world *w, const struct sim_server_opts *o)
{
	struct server s = { .w = w, .o = o };
	raise_nofile();
	int port = 0;
	s.lfd = listen_on(o->listen, &port);
	if (s.lfd < 0)
		return -1;
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
				conn_close(&s, c);
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
			if (c->fd == t.fd && c->gen == t.gen && c->busy)
				try_write(&s, c);
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	if (!o->quiet)
		fprintf(stderr, "tokenbench sim: %llu requests served, cpu %.3fs user %.3fs sys\n", s.served,
			(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
			(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	for (size_t i = 0; i < s.nconns_cap; i++) {
		if (s.conns[i]) {
			if (s.conns[i]->fd >= 0 && s.conns[i]->fd == (int)i)
				close(s.conns[i]->fd);
			buf_release(&s.conns[i]->in);
			buf_release(&s.conns[i]->out);
			free(s.conns[i]);
		}
	}
	free(s.conns);
	free(s.heap);
	close(s.ep);
	close(s.lfd);
	return 0;
}
