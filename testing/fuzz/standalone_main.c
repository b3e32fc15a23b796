/*
 * Driver for the fuzz targets where clang's libFuzzer is not installed: it
 * runs every corpus file through LLVMFuzzerTestOneInput, then random
 * mutations of them (bit flips, byte changes, insertions, deletions, copies,
 * splices) until the time is up.  Build it with -fsanitize=address,undefined:
 * the sanitizers find the bugs, this only feeds inputs.  No coverage guidance,
 * so it is much weaker than libFuzzer; scripts/fuzz says which one ran.
 *
 * Understands the part of libFuzzer's command line scripts/fuzz uses:
 *   standalone CORPUS_DIR|FILE ... [-max_total_time=S] [-seed=N] [-artifact_prefix=P]
 * Other -options are ignored.  On a crash the input is saved as <P>crash-standalone.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define MAX_INPUTS 4096

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

typedef struct blob {
	uint8_t *data;
	size_t size;
} blob;

static blob corpus[MAX_INPUTS];
static size_t n_corpus, max_len = 4096;
static const uint8_t *current;
static size_t current_size;
static char crash_path[4096] = "crash-standalone";
static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void save_current_input(void)
{
	FILE *f = fopen(crash_path, "wb");

	if (f) {
		fwrite(current, 1, current_size, f);
		fclose(f);
		fprintf(stderr, "standalone: input that crashed saved as %s\n", crash_path);
	}
}

static void on_abort(int sig)
{
	save_current_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

void __sanitizer_set_death_callback(void (*callback)(void));

static void add_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || n_corpus == MAX_INPUTS) {
		if (f)
			fclose(f);
		return;
	}
	blob *b = &corpus[n_corpus];

	b->size = (size_t)st.st_size;
	b->data = malloc(b->size ? b->size : 1);
	fuzz_require(b->data && fread(b->data, 1, b->size, f) == b->size, "cannot read %s", path);
	fclose(f);
	if (b->size > max_len)
		max_len = b->size;
	n_corpus++;
}

static void add_path(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char full[4096];

	if (!d) {
		add_file(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
		add_file(full);
	}
	closedir(d);
}

static void run_one(const uint8_t *data, size_t size)
{
	current = data;
	current_size = size;
	LLVMFuzzerTestOneInput(data, size);
}

/* One mutation of buf[0..*size) in place; the buffer holds max_len bytes. */
static void mutate(uint8_t *buf, size_t *size)
{
	static const uint8_t special[] = { 0x00, 0x01, 0x7f, 0x80, 0xff, '0', '1', 'R', 'Q', '\n', '=', '#' };
	size_t n = *size, pos = n ? next_random() % n : 0;

	switch (next_random() % 7) {
	case 0: if (n) buf[pos] ^= (uint8_t)(1u << (next_random() % 8)); break;
	case 1: if (n) buf[pos] = (uint8_t)next_random(); break;
	case 2: if (n) buf[pos] = special[next_random() % sizeof(special)]; break;
	case 3:
		if (n < max_len) {
			memmove(buf + pos + 1, buf + pos, n - pos);
			buf[pos] = (uint8_t)next_random();
			*size = n + 1;
		}
		break;
	case 4:
		if (n) {
			size_t len = 1 + next_random() % (n - pos);

			memmove(buf + pos, buf + pos + len, n - pos - len);
			*size = n - len;
		}
		break;
	case 5:
		if (n) {
			size_t from = next_random() % n, len = 1 + next_random() % (n - from), to = pos;

			if (len > n - to)
				len = n - to;
			memmove(buf + to, buf + from, len);
		}
		break;
	default: {
		const blob *other = &corpus[next_random() % n_corpus];
		size_t len = other->size - (other->size ? next_random() % other->size : 0);

		if (pos + len > max_len)
			len = max_len - pos;
		memcpy(buf + pos, other->data + (other->size - len), len);
		if (pos + len > n)
			*size = pos + len;
		break;
	}
	}
}

int main(int argc, char **argv)
{
	unsigned long seconds = 30, runs = 0, seed;
	uint8_t *buf;

	for (int i = 1; i < argc; i++) {
		if (sscanf(argv[i], "-max_total_time=%lu", &seconds) == 1)
			continue;
		if (sscanf(argv[i], "-seed=%lu", &seed) == 1) {
			rng ^= seed * 0x9E3779B97F4A7C15ull;
			continue;
		}
		if (strncmp(argv[i], "-artifact_prefix=", 17) == 0) {
			snprintf(crash_path, sizeof(crash_path), "%scrash-standalone", argv[i] + 17);
			continue;
		}
		if (argv[i][0] != '-')
			add_path(argv[i]);
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	__sanitizer_set_death_callback(save_current_input);
	signal(SIGABRT, on_abort);
	for (size_t i = 0; i < n_corpus; i++, runs++)
		run_one(corpus[i].data, corpus[i].size);
	fuzz_require(n_corpus > 0, "no corpus: give a directory or file of seed inputs");
	buf = malloc(max_len);
	fuzz_require(buf != NULL, "out of memory");
	for (time_t end = time(NULL) + (time_t)seconds; time(NULL) < end;) {
		const blob *from = &corpus[next_random() % n_corpus];
		size_t size = from->size;

		memcpy(buf, from->data, size);
		for (unsigned m = 1 + next_random() % 8; m; m--)
			mutate(buf, &size);
		/* A few generations from the same seed: mutations pile up. */
		for (unsigned batch = 0; batch < 64; batch++, runs++) {
			run_one(buf, size);
			mutate(buf, &size);
		}
	}
	free(buf);
	for (size_t i = 0; i < n_corpus; i++)
		free(corpus[i].data);
	printf("standalone: Done %lu runs in %lu second(s), %zu corpus inputs, no crash\n", runs, seconds, n_corpus);
	return 0;
}
