/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers for the benchmark programs in tools/bench. Every program
 * prints exactly one result line, "RESULT <ops> <seconds>", which the run
 * script parses; everything else goes to stderr. Header-only so each
 * program stays a single gcc invocation.
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Monotonic nanoseconds: immune to wall-clock steps during a run. */
static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Benchmarks never recover from errors: a failed run must not print a
 * result that looks valid. `err` is a positive errno or -errno. */
static inline void bench_die(const char *what, int err)
{
	if (err < 0)
		err = -err;
	fprintf(stderr, "bench: %s: %s\n", what, err ? strerror(err) : "failed");
	exit(1);
}

static inline unsigned long long bench_arg(int argc, char **argv, int i, const char *name)
{
	char *end;
	unsigned long long v;

	if (i >= argc) {
		fprintf(stderr, "bench: missing argument %s\n", name);
		exit(2);
	}
	v = strtoull(argv[i], &end, 0);
	if (*end || end == argv[i]) {
		fprintf(stderr, "bench: bad %s '%s'\n", name, argv[i]);
		exit(2);
	}
	return v;
}

static inline void bench_result(unsigned long long ops, uint64_t ns)
{
	printf("RESULT %llu %.9f\n", ops, (double)ns / 1e9);
}

/* xorshift64: a deterministic offset stream, identical for every library. */
static inline uint64_t bench_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

#endif /* BENCH_H */
