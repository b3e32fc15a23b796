/*
 * OpenOCD 0.12 remote_bitbang server for stm32sim.
 *
 * Protocol (one ASCII byte per command, OpenOCD 0.12 remote_bitbang.c and
 * bitbang.c; JTAG only, 0.12 has neither the SWD nor the sleep commands):
 *   '0'..'7'  drive TCK/TMS/TDI: value - '0' = tck << 2 | tms << 1 | tdi
 *   'R'       sample TDO: reply one byte '0' or '1'
 *   'r' 's' 't' 'u'  reset lines: value - 'r' = trst << 1 | srst, 1 = asserted
 *             ('r' none, 's' SRST only, 't' TRST only, 'u' both)
 *   'B' 'b'   probe LED on/off: OpenOCD 0.12's bitbang layer (bitbang.c) sends 'B'
 *             before and 'b' after every JTAG queue it executes
 *   'Q'       quit: OpenOCD is exiting, the session ends
 * OpenOCD queues up to 255 'R' before it reads any reply and only ever
 * flushes whole buffers, so replies are produced per chunk, never per byte.
 *
 * The protocol core (rbb_protocol_*) does no I/O, so unit tests can feed it
 * bytes; rbb_server_* owns the sockets.
 *
 * Round trips.  A USB probe (FTDI MPSSE, J-Link, CMSIS-DAP) sends a whole
 * OpenOCD JTAG queue in one transfer and waits once for the TDO data of that
 * queue: its cost is one USB round trip per queue execution that reads
 * something.  remote_bitbang has no such transfer unit (OpenOCD also blocks
 * after every scan that captures data), and where the socket happens to
 * split the stream depends on timing, so the count is taken from the
 * stream itself: one round trip per 'B' ... 'b' bracket (one queue
 * execution) that contains at least one 'R'.  That is deterministic for a
 * given sequence of OpenOCD commands, and it is the number of USB round
 * trips the same commands cost on a real probe.  'R' outside a bracket
 * (a client that does not blink) is not counted.
 */
#ifndef STM32SIM_RBB_SERVER_H
#define STM32SIM_RBB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chip.h"

typedef struct rbb_protocol {
	sim_chip *chip;
	bool quit;               /* 'Q' received: stop feeding this session */
	bool trace;              /* STM32SIM_TRACE: log every byte */
	uint64_t bytes_in;
	uint64_t replies;        /* 'R' answered */
	uint64_t unknown_bytes;
	bool in_queue;           /* between 'B' and 'b' */
	bool queue_read;         /* an 'R' since the last 'B' */
	uint64_t round_trips;    /* brackets with an 'R' (see above), this session */
} rbb_protocol;

void rbb_protocol_init(rbb_protocol *p, sim_chip *chip);
/*
 * Consume up to `n` bytes; TDO replies are written to `out`, which must have
 * room for `n` bytes.  Returns the number of bytes consumed (less than `n`
 * only when 'Q' was seen, which is consumed); *out_len gets the reply count.
 */
size_t rbb_protocol_feed(rbb_protocol *p, const uint8_t *in, size_t n, uint8_t *out, size_t *out_len);

/*
 * Round trips of every protocol instance of this process since it started,
 * all sessions together.  The state JSON reports it as the link counter
 * "round_trips" (chip_common.c): one simulator process serves one chip.
 */
uint64_t rbb_link_round_trips(void);

#define RBB_IN_CHUNK  (32 * 1024)     /* bounds the time between sim_chip_poll() calls */
#define RBB_OUT_SPACE (256 * 1024)

typedef struct rbb_server {
	sim_chip *chip;
	const char *state_path;  /* NULL: no state file */
	int listen_fd;
	int client_fd;           /* -1 when idle */
	char unix_path[108];     /* non-empty: unlink on close */
	char endpoint[300];      /* "tcp:HOST:PORT" or "unix:PATH" */
	rbb_protocol proto;
	uint8_t in[RBB_IN_CHUNK];
	uint8_t out[RBB_OUT_SPACE];
	size_t out_start, out_end; /* replies not yet written */
	unsigned long sessions;
} rbb_server;

/*
 * Listen on TCP "HOST:PORT" ("[v6addr]:PORT" for IPv6; PORT 0 picks a free
 * port, reported by rbb_server_endpoint) or on a Unix socket (a stale socket
 * file is removed first; any other kind of file is refused).
 * 0 on success; -1 and a message naming the failing call on error.
 */
int rbb_server_listen_tcp(rbb_server *s, sim_chip *chip, const char *hostport, char *err, size_t errlen);
int rbb_server_listen_unix(rbb_server *s, sim_chip *chip, const char *path, char *err, size_t errlen);
const char *rbb_server_endpoint(const rbb_server *s);

/*
 * Serve one client at a time until `stop_fd` becomes readable (the main
 * loop's self-pipe).  Each session: sim_chip_session_start() on accept;
 * on disconnect, 'Q', sim_chip_wants_disconnect() or stop:
 * sim_chip_session_end() and the state file.  Calls sim_chip_poll() at least
 * once per millisecond.  0 when stopped, -1 and err on a fatal socket error.
 */
int rbb_server_run(rbb_server *s, int stop_fd, char *err, size_t errlen);
void rbb_server_close(rbb_server *s);

/* Write the state file if one was configured; logs failures. 0 on success. */
int rbb_server_write_state(rbb_server *s);

#endif
