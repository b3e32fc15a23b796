/*
 * stm32sim: a register-level STM32 that OpenOCD 0.12 reaches through its
 * remote_bitbang adapter driver.
 *
 *   stm32sim --scenario FILE [--listen HOST:PORT | --unix PATH]
 *            [--state FILE] [--time-scale F]
 *
 * Default endpoint: tcp 127.0.0.1:3335 (PORT 0 picks a free port).  When ready
 * it prints exactly one line, "listening on tcp:HOST:PORT" or
 * "listening on unix:PATH", on stdout.  The chip persists across OpenOCD
 * sessions like a powered board; the state JSON is written at start, after
 * every session and on SIGTERM/SIGINT, which then exit with status 0.
 * Exit status 2: bad arguments or scenario; 1: runtime failure.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chip.h"
#include "rbb_server.h"
#include "scenario.h"
#include "sim_common.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define DEFAULT_LISTEN "127.0.0.1:3335"
#define EXIT_USAGE 2

typedef struct options {
	const char *scenario;
	const char *listen;
	const char *unix_path;
	const char *state;
	double time_scale;
} options;

/* Big structures live here rather than on the stack. */
static scenario the_scenario;
static rbb_server the_server;

/* Self-pipe: the handler only writes a byte; the server loop does the work. */
static int stop_pipe[2] = { -1, -1 };

static void on_stop_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (write(stop_pipe[1], &c, 1) < 0) {
		/* Pipe full: a stop is already pending, nothing more to say. */
	}
	errno = saved;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: stm32sim --scenario FILE [--listen HOST:PORT | --unix PATH]\n"
		"                [--state FILE] [--time-scale F]\n"
		"       stm32sim --help | --version\n"
		"\n"
		"  --scenario FILE    chip description (testing/scenarios/README.md)\n"
		"  --listen HOST:PORT remote_bitbang over TCP (default %s; PORT 0: any free port)\n"
		"  --unix PATH        remote_bitbang over a Unix socket instead\n"
		"  --state FILE       write the chip state JSON after each session and on exit\n"
		"  --time-scale F     wall seconds per simulated second (default 1; 0.01 = 100x faster)\n",
		DEFAULT_LISTEN);
}

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "stm32sim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
	return EXIT_USAGE;
}

/* "HOST:PORT" or "[V6]:PORT" with a decimal port; the server resolves HOST. */
static bool valid_hostport(const char *hp)
{
	const char *colon = strrchr(hp, ':');
	char *end;

	if (!colon || colon == hp || colon[1] == '\0')
		return false;
	if (hp[0] == '[' && colon[-1] != ']')
		return false;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);

	return !errno && !*end && port <= 65535 && isdigit((unsigned char)colon[1]);
}

/* Returns -1 to continue, otherwise an exit status. */
static int parse_options(int argc, char **argv, options *o)
{
	static const struct option longopts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "unix", required_argument, NULL, 'u' },
		{ "state", required_argument, NULL, 'S' },
		{ "time-scale", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*o = (options){ .time_scale = 1.0 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->scenario = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'u': o->unix_path = optarg; break;
		case 'S': o->state = optarg; break;
		case 't':
			errno = 0;
			o->time_scale = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(o->time_scale) || o->time_scale <= 0)
				return bad_usage("--time-scale '%s' is not a positive number", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("stm32sim %s\n", PACKAGE_VERSION);
			return 0;
		default:
			return bad_usage("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	if (!o->scenario)
		return bad_usage("%s", "--scenario FILE is required");
	if (o->listen && o->unix_path)
		return bad_usage("%s", "--listen and --unix are mutually exclusive");
	if (o->listen && !valid_hostport(o->listen))
		return bad_usage("--listen '%s' is not HOST:PORT", o->listen);
	return -1;
}

static int setup_signals(void)
{
	struct sigaction sa;

	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		fprintf(stderr, "stm32sim: pipe2: %s\n", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0) {
		fprintf(stderr, "stm32sim: sigaction: %s\n", strerror(errno));
		return -1;
	}
	/* A client vanishing mid-write must be an error return, not a kill. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static sim_chip *build_chip(const options *o)
{
	char err[1024];
	sim_chip *chip;
	const scenario_entry *unused;

	if (scenario_load(&the_scenario, o->scenario, err, sizeof(err)) != 0) {
		fprintf(stderr, "stm32sim: %s\n", err);
		return NULL;
	}
	sim_clock_init(o->time_scale);
	chip = sim_chip_create(&the_scenario, err, sizeof(err));
	if (!chip) {
		fprintf(stderr, "stm32sim: %s\n", err);
		return NULL;
	}
	/* A key nobody consumed is a typo that would silently give a healthy chip. */
	unused = scenario_first_unused(&the_scenario);
	if (unused) {
		fprintf(stderr, "stm32sim: %s:%d: unknown key '%s'\n", the_scenario.path, unused->line, unused->key);
		sim_chip_destroy(chip);
		return NULL;
	}
	return chip;
}

static int start_server(const options *o, sim_chip *chip)
{
	char err[512];
	int rc;

	if (o->unix_path)
		rc = rbb_server_listen_unix(&the_server, chip, o->unix_path, err, sizeof(err));
	else
		rc = rbb_server_listen_tcp(&the_server, chip, o->listen ? o->listen : DEFAULT_LISTEN, err,
					   sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "stm32sim: %s\n", err);
		return -1;
	}
	the_server.state_path = o->state;
	/* The chip as the scenario built it, before any probe: what tests compare a session against. */
	if (o->state && rbb_server_write_state(&the_server) != 0)
		return -1;
	printf("listening on %s\n", rbb_server_endpoint(&the_server));
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	options o;
	int status = parse_options(argc, argv, &o);
	char err[512];

	if (status >= 0)
		return status;
	sim_chip *chip = build_chip(&o);

	if (!chip)
		return EXIT_USAGE;
	if (setup_signals() != 0 || start_server(&o, chip) != 0) {
		sim_chip_destroy(chip);
		return 1;
	}
	status = 0;
	if (rbb_server_run(&the_server, stop_pipe[0], err, sizeof(err)) != 0) {
		fprintf(stderr, "stm32sim: %s\n", err);
		status = 1;
	}
	sim_log_info("stopping");
	rbb_server_close(&the_server);
	if (rbb_server_write_state(&the_server) != 0)
		status = 1;
	sim_chip_destroy(chip);
	return status;
}
