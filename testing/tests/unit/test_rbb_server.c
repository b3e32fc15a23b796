/*
 * Unit tests for testing/sim/rbb_server.c: the remote_bitbang byte protocol
 * (pure function) and the socket server, against a fake chip implemented
 * here (the sim_chip_* functions of chip.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "rbb_server.h"
#include "sim_common.h"

/* ------------------------------------------------------------ fake chip -- */

#define PIN_LOG 64

struct sim_chip {
	/* Single-threaded protocol tests only. */
	uint8_t pins[PIN_LOG]; /* tck << 2 | tms << 1 | tdi per call */
	unsigned npins;
	bool resets[8][2];
	unsigned nresets;
	/* Shared with the server thread. */
	atomic_bool tdo;           /* TDI of the last rising edge: a 1-bit delay line */
	atomic_bool last_tck;
	atomic_ulong clocks;
	atomic_uint polls;
	atomic_uint started, ended, states;
	atomic_bool want_disconnect;
};

static struct sim_chip chip;

sim_chip *sim_chip_create(scenario *sc, char *err, size_t errlen)
{
	return &chip;
}

void sim_chip_destroy(sim_chip *c)
{
}

void sim_chip_jtag_clock(sim_chip *c, bool tck, bool tms, bool tdi)
{
	if (c->npins < PIN_LOG)
		c->pins[c->npins++] = (uint8_t)(tck << 2 | tms << 1 | tdi);
	if (tck && !c->last_tck)
		c->tdo = tdi;
	c->last_tck = tck;
	c->clocks++;
}

bool sim_chip_jtag_tdo(sim_chip *c)
{
	return c->tdo;
}

void sim_chip_set_reset_lines(sim_chip *c, bool trst_asserted, bool srst_asserted)
{
	if (c->nresets < 8) {
		c->resets[c->nresets][0] = trst_asserted;
		c->resets[c->nresets][1] = srst_asserted;
		c->nresets++;
	}
}

void sim_chip_poll(sim_chip *c)
{
	c->polls++;
}

void sim_chip_session_start(sim_chip *c)
{
	c->started++;
}

void sim_chip_session_end(sim_chip *c)
{
	c->ended++;
}

bool sim_chip_wants_disconnect(sim_chip *c)
{
	return c->want_disconnect;
}

int sim_chip_write_state(sim_chip *c, const char *path, char *err, size_t errlen)
{
	c->states++;
	return 0;
}

static int reset_chip(void **state)
{
	memset(&chip, 0, sizeof(chip));
	return 0;
}

/* ------------------------------------------------------- protocol tests -- */

static size_t feed(rbb_protocol *p, const char *s, char *replies)
{
	size_t n = 0;
	size_t used = rbb_protocol_feed(p, (const uint8_t *)s, strlen(s), (uint8_t *)replies, &n);

	replies[n] = '\0';
	return used;
}

static void test_pin_bytes_drive_tck_tms_tdi(void **state)
{
	rbb_protocol p;
	char out[16];

	rbb_protocol_init(&p, &chip);
	assert_int_equal(feed(&p, "01234567", out), 8);
	assert_int_equal(chip.npins, 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(chip.pins[i], i); /* bit2 TCK, bit1 TMS, bit0 TDI */
	assert_string_equal(out, "");
}

static void test_read_replies_tdo(void **state)
{
	rbb_protocol p;
	char out[16];

	rbb_protocol_init(&p, &chip);
	/* TDI 1 clocked in, sampled; TDI 0 clocked in, sampled; twice without new edge. */
	feed(&p, "15R04RRR", out);
	assert_string_equal(out, "1000");
	assert_int_equal(p.replies, 4);
	assert_int_equal(p.bytes_in, 8);
}

static void test_reset_chars(void **state)
{
	rbb_protocol p;
	char out[16];

	rbb_protocol_init(&p, &chip);
	feed(&p, "rstu", out);
	assert_int_equal(chip.nresets, 4);
	/* OpenOCD 0.12: 'r' + (trst << 1 | srst), 1 = asserted. */
	static const bool expect[4][2] = { { false, false }, { false, true }, { true, false }, { true, true } };

	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(chip.resets[i][0], expect[i][0]);
		assert_int_equal(chip.resets[i][1], expect[i][1]);
	}
}

static void test_quit_stops_consuming(void **state)
{
	rbb_protocol p;
	char out[16];

	rbb_protocol_init(&p, &chip);
	assert_int_equal(feed(&p, "15RQ04R", out), 4);
	assert_true(p.quit);
	assert_string_equal(out, "1");
	assert_int_equal(chip.npins, 2);
}

static void test_unknown_and_blink_bytes_ignored(void **state)
{
	rbb_protocol p;
	char out[16];
	unsigned long ge = sim_log_guest_error_count();

	rbb_protocol_init(&p, &chip);
	assert_int_equal(feed(&p, "15Bxy\nbZR", out), 9);
	assert_string_equal(out, "1");
	assert_int_equal(p.unknown_bytes, 4);
	/* One report per chunk, not one per byte. */
	assert_int_equal(sim_log_guest_error_count(), ge + 1);
	assert_int_equal(chip.nresets, 0);
}

/* One OpenOCD queue execution as bitbang.c sends it: LED on, scans, LED off. */
#define QUEUE_WITH_READ "B0R41R5b"
#define QUEUE_WITHOUT_READ "B0415b"

static void test_round_trip_is_a_queue_that_reads(void **state)
{
	rbb_protocol p;
	char out[64];
	uint64_t total = rbb_link_round_trips();

	rbb_protocol_init(&p, &chip);
	feed(&p, QUEUE_WITH_READ QUEUE_WITHOUT_READ QUEUE_WITH_READ, out);
	assert_string_equal(out, "0010"); /* the fake chip echoes the TDI of the last rising edge */
	assert_int_equal(p.round_trips, 2);
	/* TDO read outside a bracket (a client that does not blink) and a bracket never closed: none. */
	feed(&p, "0R4R" "B0R4", out);
	assert_int_equal(p.round_trips, 2);
	/* The unclosed bracket is closed by the next 'b'; a second 'B' restarts the bracket. */
	feed(&p, "b" "B0R4" "B04b", out);
	assert_int_equal(p.round_trips, 3);
	assert_int_equal(rbb_link_round_trips() - total, 3);
}

/* How the socket cuts the stream must not change the count. */
static void test_round_trips_do_not_depend_on_chunks(void **state)
{
	const char *stream = QUEUE_WITH_READ "0R4" QUEUE_WITHOUT_READ QUEUE_WITH_READ QUEUE_WITH_READ;
	rbb_protocol whole, bytewise;
	char out[64], one[2] = { 0, 0 };

	rbb_protocol_init(&whole, &chip);
	feed(&whole, stream, out);
	rbb_protocol_init(&bytewise, &chip);
	for (size_t i = 0; stream[i]; i++) {
		one[0] = stream[i];
		feed(&bytewise, one, out);
	}
	assert_int_equal(whole.round_trips, 3);
	assert_int_equal(bytewise.round_trips, whole.round_trips);
}

/* --------------------------------------------------------- socket tests -- */

static rbb_server srv;
static int stop_pipe[2];
static pthread_t server_thread;
static int server_rc;

static void *server_main(void *arg)
{
	char err[256];

	server_rc = rbb_server_run(&srv, stop_pipe[0], err, sizeof(err));
	return NULL;
}

static void start_server(void)
{
	srv.state_path = "/tmp/test_rbb_server.state.json";
	assert_int_equal(pipe(stop_pipe), 0);
	assert_int_equal(pthread_create(&server_thread, NULL, server_main, NULL), 0);
}

static void stop_server(void)
{
	assert_int_equal(write(stop_pipe[1], "x", 1), 1);
	assert_int_equal(pthread_join(server_thread, NULL), 0);
	assert_int_equal(server_rc, 0);
	rbb_server_close(&srv);
	close(stop_pipe[0]);
	close(stop_pipe[1]);
}

static void start_tcp(void)
{
	char err[256];

	assert_int_equal(rbb_server_listen_tcp(&srv, &chip, "127.0.0.1:0", err, sizeof(err)), 0);
	assert_true(strncmp(rbb_server_endpoint(&srv), "tcp:127.0.0.1:", 14) == 0);
	start_server();
}

static void set_timeout(int fd)
{
	struct timeval tv = { .tv_sec = 20 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int connect_tcp_rcvbuf(int rcvbuf)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	/* Before connect(), so that the advertised window stays small. */
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	a.sin_port = htons((uint16_t)atoi(strrchr(rbb_server_endpoint(&srv), ':') + 1));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	set_timeout(fd);
	return fd;
}

static int connect_tcp(void)
{
	return connect_tcp_rcvbuf(0);
}

/* Bounded wait for a counter the server thread updates. */
static void wait_for(atomic_uint *counter, unsigned value)
{
	for (int i = 0; i < 5000 && *counter < value; i++)
		usleep(1000);
	assert_int_equal(*counter, value);
}

static void send_all(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

static void recv_exact(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = recv(fd, buf + got, n - got, 0);

		assert_true(r > 0);
		got += (size_t)r;
	}
	buf[n] = '\0';
}

static void test_tcp_sessions_persist_chip(void **state)
{
	char buf[16];

	start_tcp();
	int fd = connect_tcp();

	wait_for(&chip.started, 1);
	send_all(fd, "15R04R");
	recv_exact(fd, buf, 2);
	assert_string_equal(buf, "10");
	close(fd);
	wait_for(&chip.ended, 1);
	wait_for(&chip.states, 1); /* state file after every session */

	/* The next client finds the same chip. */
	fd = connect_tcp();
	wait_for(&chip.started, 2);
	send_all(fd, "R");
	recv_exact(fd, buf, 1);
	assert_string_equal(buf, "0");
	assert_int_equal(chip.clocks, 4);
	close(fd);
	wait_for(&chip.ended, 2);
	stop_server();
	assert_int_equal(chip.ended, 2);
}

static void test_quit_ends_session(void **state)
{
	char buf[16];

	start_tcp();
	int fd = connect_tcp();

	send_all(fd, "15RQ15R");
	recv_exact(fd, buf, 1);
	assert_string_equal(buf, "1");
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), 0); /* server closed after 'Q' */
	wait_for(&chip.ended, 1);
	close(fd);
	stop_server();
}

static void test_chip_can_drop_connection(void **state)
{
	char buf[16];

	start_tcp();
	int fd = connect_tcp();

	wait_for(&chip.started, 1);
	chip.want_disconnect = true;
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), 0);
	wait_for(&chip.ended, 1);
	chip.want_disconnect = false;
	close(fd);
	stop_server();
}

static void test_stop_ends_active_session(void **state)
{
	start_tcp();
	int fd = connect_tcp();

	wait_for(&chip.started, 1);
	stop_server();
	assert_int_equal(chip.ended, 1);
	assert_int_equal(chip.states, 1);
	close(fd);
}

static void test_idle_server_polls_chip(void **state)
{
	struct timespec nap = { 0, 100 * 1000 * 1000 };

	start_tcp();
	nanosleep(&nap, NULL);
	/* 1 ms poll timeout: ~100 polls; far fewer means the chip starves. */
	assert_true(chip.polls >= 30);
	stop_server();
}

#define BULK_PAIRS (1024 * 1024)

static void *bulk_writer(void *arg)
{
	int fd = *(int *)arg;
	static const char pattern[] = "15R04R";
	char block[6 * 1024];

	for (size_t i = 0; i < sizeof(block); i += 6)
		memcpy(block + i, pattern, 6);
	for (size_t sent = 0; sent < (size_t)BULK_PAIRS * 6; sent += sizeof(block))
		if (send(fd, block, sizeof(block), MSG_NOSIGNAL) != (ssize_t)sizeof(block))
			return (void *)1;
	return NULL;
}

static void test_bulk_with_late_reader_gets_every_reply(void **state)
{
	static char buf[65536];
	pthread_t writer;
	void *writer_rc;
	size_t got = 0;
	bool pattern_ok = true;

	start_tcp();
	int fd = connect_tcp();

	/* 6 MiB in, 2 MiB of replies: far beyond socket and server buffers. */
	assert_int_equal(pthread_create(&writer, NULL, bulk_writer, &fd), 0);
	usleep(200000); /* let the server fill its output while nobody reads */
	while (got < (size_t)BULK_PAIRS * 2) {
		ssize_t r = recv(fd, buf, sizeof(buf), 0);

		assert_true(r > 0);
		for (ssize_t i = 0; i < r; i++)
			pattern_ok &= buf[i] == (((got + (size_t)i) & 1) ? '0' : '1');
		got += (size_t)r;
	}
	assert_int_equal(pthread_join(writer, &writer_rc), 0);
	assert_null(writer_rc);
	assert_true(pattern_ok);
	close(fd);
	wait_for(&chip.ended, 1);
	stop_server();
}

/*
 * A single-threaded client that writes a large batch before reading any reply
 * (as OpenOCD does with up to 255 samples) must not stall the server: the
 * server keeps consuming input while its replies wait in its own buffer.
 */
static void test_server_keeps_reading_while_replies_wait(void **state)
{
	enum { SAMPLES = 192 * 1024 };
	static char batch[SAMPLES * 3 + 1], buf[SAMPLES + 1];

	for (size_t i = 0; i < SAMPLES; i++)
		memcpy(batch + 3 * i, (i & 1) ? "04R" : "15R", 3);
	batch[SAMPLES * 3] = '\0';
	char err[256];
	int small = 4096;

	/* Small socket buffers everywhere (accepted sockets inherit the listener's): */
	/* neither the batch nor the replies can hide in the kernel. */
	assert_int_equal(rbb_server_listen_tcp(&srv, &chip, "127.0.0.1:0", err, sizeof(err)), 0);
	assert_int_equal(setsockopt(srv.listen_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	assert_int_equal(setsockopt(srv.listen_fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	start_server();
	int fd = connect_tcp_rcvbuf(small);

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	send_all(fd, batch);
	recv_exact(fd, buf, SAMPLES);
	for (size_t i = 0; i < SAMPLES; i++)
		assert_int_equal(buf[i], (i & 1) ? '0' : '1');
	close(fd);
	stop_server();
}

static void test_unix_socket_replaces_stale_socket_only(void **state)
{
	const char *path = "/tmp/test_rbb_server.sock";
	char err[256], buf[8];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	strcpy(a.sun_path, path);
	unlink(path);
	/* A regular file in the way is refused, not deleted. */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rbb_server_listen_unix(&srv, &chip, path, err, sizeof(err)), -1);
	assert_string_equal(err, "/tmp/test_rbb_server.sock exists and is not a socket; not removing it");
	unlink(path);
	/* A stale socket (bound, never unlinked) is replaced. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	close(fd);
	assert_int_equal(rbb_server_listen_unix(&srv, &chip, path, err, sizeof(err)), 0);
	assert_string_equal(rbb_server_endpoint(&srv), "unix:/tmp/test_rbb_server.sock");
	start_server();
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	set_timeout(fd);
	send_all(fd, "15R");
	recv_exact(fd, buf, 1);
	assert_string_equal(buf, "1");
	close(fd);
	stop_server();
	struct stat st;

	assert_int_equal(stat(path, &st), -1); /* removed on close */
}

static void test_bad_endpoints(void **state)
{
	char err[256];

	assert_int_equal(rbb_server_listen_tcp(&srv, &chip, "nonsense", err, sizeof(err)), -1);
	assert_string_equal(err, "'nonsense' is not HOST:PORT");
	assert_int_equal(rbb_server_listen_tcp(&srv, &chip, "127.0.0.1:", err, sizeof(err)), -1);
	assert_int_equal(rbb_server_listen_tcp(&srv, &chip, "[::1:3335", err, sizeof(err)), -1);
	assert_int_equal(rbb_server_listen_tcp(&srv, &chip, "127.0.0.1:notaport", err, sizeof(err)), -1);
	assert_true(strncmp(err, "getaddrinfo(127.0.0.1, notaport): ", 34) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pin_bytes_drive_tck_tms_tdi, reset_chip),
		cmocka_unit_test_setup(test_read_replies_tdo, reset_chip),
		cmocka_unit_test_setup(test_reset_chars, reset_chip),
		cmocka_unit_test_setup(test_quit_stops_consuming, reset_chip),
		cmocka_unit_test_setup(test_unknown_and_blink_bytes_ignored, reset_chip),
		cmocka_unit_test_setup(test_round_trip_is_a_queue_that_reads, reset_chip),
		cmocka_unit_test_setup(test_round_trips_do_not_depend_on_chunks, reset_chip),
		cmocka_unit_test_setup(test_tcp_sessions_persist_chip, reset_chip),
		cmocka_unit_test_setup(test_quit_ends_session, reset_chip),
		cmocka_unit_test_setup(test_chip_can_drop_connection, reset_chip),
		cmocka_unit_test_setup(test_stop_ends_active_session, reset_chip),
		cmocka_unit_test_setup(test_idle_server_polls_chip, reset_chip),
		cmocka_unit_test_setup(test_bulk_with_late_reader_gets_every_reply, reset_chip),
		cmocka_unit_test_setup(test_server_keeps_reading_while_replies_wait, reset_chip),
		cmocka_unit_test_setup(test_unix_socket_replaces_stale_socket_only, reset_chip),
		cmocka_unit_test_setup(test_bad_endpoints, reset_chip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
