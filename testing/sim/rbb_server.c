/*
 * OpenOCD 0.12 remote_bitbang server (protocol summary in rbb_server.h).
 *
 * Throughput: programming 1 MiB of flash through OpenOCD's bitbang driver is
 * tens of megabytes of protocol, so bytes are handled in a tight loop over
 * whole chunks, replies are written once per chunk, and nothing is logged
 * per byte unless STM32SIM_TRACE is set.
 *
 * Deadlock avoidance: the client socket is non-blocking.  Replies that the
 * client has not yet accepted stay in `out`; reading continues only while
 * `out` has room for the replies a full input chunk could produce, so a
 * client that writes without reading is throttled, never blocks the server.
 */
#define _GNU_SOURCE
#include "rbb_server.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sim_common.h"

/* Poll timeout: sim_chip_poll() must run at least once per millisecond. */
#define POLL_TIMEOUT_MS 1

/* Round trips of all sessions (rbb_link_round_trips). */
static uint64_t link_round_trips;

uint64_t rbb_link_round_trips(void)
{
	return link_round_trips;
}

/* --------------------------------------------------------- protocol -- */

void rbb_protocol_init(rbb_protocol *p, sim_chip *chip)
{
	const char *t = getenv("STM32SIM_TRACE");

	memset(p, 0, sizeof(*p));
	p->chip = chip;
	p->trace = t && *t && strcmp(t, "0") != 0;
}

static void report_unknown(size_t count, uint8_t first)
{
	sim_log_guest_error("remote_bitbang: ignored %zu unknown byte%s (first 0x%02x '%c')", count,
			    count == 1 ? "" : "s", first, first >= 0x20 && first < 0x7f ? first : '?');
}

/* 'B' opens a queue, 'b' closes it; a closed queue that read TDO was one round trip. */
static void queue_bracket(rbb_protocol *p, bool open)
{
	if (!open && p->in_queue && p->queue_read) {
		p->round_trips++;
		link_round_trips++;
	}
	p->in_queue = open;
	p->queue_read = false;
}

size_t rbb_protocol_feed(rbb_protocol *p, const uint8_t *in, size_t n, uint8_t *out, size_t *out_len)
{
	sim_chip *chip = p->chip;
	size_t unknown = 0, o = 0, i;
	uint8_t first_unknown = 0;

	for (i = 0; i < n; i++) {
		uint8_t c = in[i];
		unsigned v = (unsigned)c - '0';

		if (p->trace)
			sim_log_trace("rbb: '%c'", c >= 0x20 && c < 0x7f ? c : '?');
		if (v < 8u) {
			sim_chip_jtag_clock(chip, v & 4u, v & 2u, v & 1u);
			continue;
		}
		switch (c) {
		case 'R':
			out[o++] = sim_chip_jtag_tdo(chip) ? '1' : '0';
			p->queue_read |= p->in_queue;
			break;
		case 'r': case 's': case 't': case 'u':
			v = (unsigned)c - 'r';
			sim_chip_set_reset_lines(chip, v & 2u, v & 1u);
			break;
		case 'B': case 'b':
			/* The probe's LED, lit around each queue: the round-trip brackets. */
			queue_bracket(p, c == 'B');
			break;
		case 'Q':
			p->quit = true;
			i++;
			goto done;
		default:
			if (unknown++ == 0)
				first_unknown = c;
			break;
		}
	}
done:
	if (unknown)
		report_unknown(unknown, first_unknown);
	p->bytes_in += i;
	p->replies += o;
	p->unknown_bytes += unknown;
	*out_len = o;
	return i;
}

/* ----------------------------------------------------------- sockets -- */

static void set_error(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void server_defaults(rbb_server *s, sim_chip *chip)
{
	s->chip = chip;
	s->listen_fd = -1;
	s->client_fd = -1;
	s->unix_path[0] = '\0';
	s->endpoint[0] = '\0';
	s->out_start = s->out_end = 0;
	s->sessions = 0;
}

/* "HOST:PORT" or "[V6]:PORT" -> host, port. */
static int split_hostport(const char *hp, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon;

	if (hp[0] == '[') {
		const char *close = strchr(hp, ']');

		if (!close || close[1] != ':')
			return -1;
		if ((size_t)(close - hp - 1) >= hostlen)
			return -1;
		snprintf(host, hostlen, "%.*s", (int)(close - hp - 1), hp + 1);
		colon = close + 1;
	} else {
		colon = strrchr(hp, ':');
		if (!colon || (size_t)(colon - hp) >= hostlen)
			return -1;
		snprintf(host, hostlen, "%.*s", (int)(colon - hp), hp);
	}
	if (colon[1] == '\0' || strlen(colon + 1) >= portlen || host[0] == '\0')
		return -1;
	snprintf(port, portlen, "%s", colon + 1);
	return 0;
}

static int bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -1;
}

static int bind_first(struct addrinfo *list, char *err, size_t errlen)
{
	int saved = 0;
	const char *what = "bind";

	for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		int one = 1;

		if (fd < 0) {
			saved = errno;
			what = "socket";
			continue;
		}
		/* A restarted simulator must not wait for TIME_WAIT of the last session. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0)
			return fd;
		saved = errno;
		what = "bind/listen";
		close(fd);
	}
	set_error(err, errlen, "%s: %s", what, strerror(saved));
	return -1;
}

int rbb_server_listen_tcp(rbb_server *s, sim_chip *chip, const char *hostport, char *err, size_t errlen)
{
	char host[256], port[32];
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *list = NULL;

	server_defaults(s, chip);
	if (split_hostport(hostport, host, sizeof(host), port, sizeof(port)) != 0) {
		set_error(err, errlen, "'%s' is not HOST:PORT", hostport);
		return -1;
	}
	int rc = getaddrinfo(host, port, &hints, &list);

	if (rc != 0) {
		set_error(err, errlen, "getaddrinfo(%s, %s): %s", host, port, gai_strerror(rc));
		return -1;
	}
	char why[200];

	s->listen_fd = bind_first(list, why, sizeof(why));
	freeaddrinfo(list);
	if (s->listen_fd < 0) {
		set_error(err, errlen, "listen on %s: %s", hostport, why);
		return -1;
	}
	snprintf(s->endpoint, sizeof(s->endpoint), strchr(host, ':') ? "tcp:[%s]:%d" : "tcp:%s:%d", host,
		 bound_port(s->listen_fd));
	return 0;
}

static int remove_stale_socket(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : (set_error(err, errlen, "lstat(%s): %s", path, strerror(errno)), -1);
	if (!S_ISSOCK(st.st_mode)) {
		set_error(err, errlen, "%s exists and is not a socket; not removing it", path);
		return -1;
	}
	if (unlink(path) != 0) {
		set_error(err, errlen, "unlink(%s): %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int rbb_server_listen_unix(rbb_server *s, sim_chip *chip, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	server_defaults(s, chip);
	if (strlen(path) == 0 || strlen(path) >= sizeof(addr.sun_path) || strlen(path) >= sizeof(s->unix_path)) {
		set_error(err, errlen, "unix socket path '%s' is empty or longer than %zu bytes", path,
			  sizeof(addr.sun_path) - 1);
		return -1;
	}
	if (remove_stale_socket(path, err, errlen) != 0)
		return -1;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0) {
		set_error(err, errlen, "socket(AF_UNIX): %s", strerror(errno));
		return -1;
	}
	if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(s->listen_fd, 1) != 0) {
		set_error(err, errlen, "bind/listen(%s): %s", path, strerror(errno));
		close(s->listen_fd);
		s->listen_fd = -1;
		return -1;
	}
	snprintf(s->unix_path, sizeof(s->unix_path), "%s", path);
	snprintf(s->endpoint, sizeof(s->endpoint), "unix:%s", path);
	return 0;
}

const char *rbb_server_endpoint(const rbb_server *s)
{
	return s->endpoint;
}

int rbb_server_write_state(rbb_server *s)
{
	char err[512];

	if (!s->state_path)
		return 0;
	if (sim_chip_write_state(s->chip, s->state_path, err, sizeof(err)) != 0) {
		sim_log_info("cannot write state file %s: %s", s->state_path, err);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------- sessions -- */

static void session_begin(rbb_server *s, int fd)
{
	int one = 1;

	/* Replies are small and latency bound: OpenOCD waits for them. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s->client_fd = fd;
	s->out_start = s->out_end = 0;
	s->sessions++;
	rbb_protocol_init(&s->proto, s->chip);
	sim_log_info("remote_bitbang: session %lu started", s->sessions);
	sim_chip_session_start(s->chip);
}

static void session_end(rbb_server *s, const char *why)
{
	if (s->client_fd < 0)
		return;
	close(s->client_fd);
	s->client_fd = -1;
	s->out_start = s->out_end = 0;
	sim_log_info("remote_bitbang: session %lu ended (%s): %llu bytes, %llu TDO samples, %llu round trips",
		     s->sessions, why, (unsigned long long)s->proto.bytes_in, (unsigned long long)s->proto.replies,
		     (unsigned long long)s->proto.round_trips);
	sim_chip_session_end(s->chip);
	rbb_server_write_state(s);
}

static void accept_client(rbb_server *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
			sim_log_info("remote_bitbang: accept: %s", strerror(errno));
		return;
	}
	session_begin(s, fd);
}

/* Write pending replies without blocking.  -1 when the client is gone. */
static int flush_replies(rbb_server *s)
{
	while (s->out_start < s->out_end) {
		ssize_t w = send(s->client_fd, s->out + s->out_start, s->out_end - s->out_start, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		s->out_start += (size_t)w;
	}
	s->out_start = s->out_end = 0;
	return 0;
}

static bool can_read(const rbb_server *s)
{
	return !s->proto.quit && sizeof(s->out) - s->out_end >= sizeof(s->in);
}

/* Read one chunk and run it through the protocol.  -1: the session is over. */
static int read_chunk(rbb_server *s, const char **why)
{
	ssize_t n = recv(s->client_fd, s->in, sizeof(s->in), 0);

	if (n == 0) {
		*why = "client closed";
		return -1;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		*why = strerror(errno);
		return -1;
	}
	size_t produced = 0;

	rbb_protocol_feed(&s->proto, s->in, (size_t)n, s->out + s->out_end, &produced);
	s->out_end += produced;
	return 0;
}

static void serve_client(rbb_server *s, short revents)
{
	const char *why = NULL;

	if ((revents & (POLLIN | POLLHUP | POLLERR)) && can_read(s) && read_chunk(s, &why) != 0) {
		session_end(s, why);
		return;
	}
	if (flush_replies(s) != 0) {
		session_end(s, "write failed");
		return;
	}
	if (s->proto.quit && s->out_start == s->out_end)
		session_end(s, "quit");
	else if (sim_chip_wants_disconnect(s->chip))
		session_end(s, "chip dropped the connection");
}

int rbb_server_run(rbb_server *s, int stop_fd, char *err, size_t errlen)
{
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = stop_fd, .events = POLLIN },
			{ .fd = s->client_fd >= 0 ? s->client_fd : s->listen_fd, .events = POLLIN },
		};

		if (s->client_fd >= 0) {
			fds[1].events = can_read(s) ? POLLIN : 0;
			if (s->out_start < s->out_end)
				fds[1].events |= POLLOUT;
		}
		if (poll(fds, 2, POLL_TIMEOUT_MS) < 0 && errno != EINTR) {
			set_error(err, errlen, "poll: %s", strerror(errno));
			session_end(s, "server error");
			return -1;
		}
		sim_chip_poll(s->chip);
		if (fds[0].revents & POLLIN) {
			session_end(s, "simulator stopping");
			return 0;
		}
		if (s->client_fd < 0) {
			if (fds[1].revents & POLLIN)
				accept_client(s);
		} else {
			serve_client(s, fds[1].revents);
		}
	}
}

void rbb_server_close(rbb_server *s)
{
	session_end(s, "server closed");
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
	if (s->unix_path[0])
		unlink(s->unix_path);
	s->unix_path[0] = '\0';
}
