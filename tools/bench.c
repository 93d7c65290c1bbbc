/* bench: how long commands take, from fork to exit, side by side.
 *
 *   bench [-n RUNS] [-w WARMUP] [-p PAUSE_MS] COMMAND [ARG...] [::: COMMAND [ARG...]]...
 *
 * Runs each COMMAND WARMUP times unmeasured (caches, an image made on first
 * use), then RUNS rounds in which every COMMAND runs once, in turn: a
 * machine that slows down or speeds up meanwhile does so for all of them
 * alike, so their ratios hold. Each run is a fork, an execvp and a wait.
 * -p waits PAUSE_MS, unmeasured, before each run: work the kernel does
 * after a command has exited (tearing down its namespaces) is then done
 * before the next one starts, instead of being paid by it.
 * Leading NAME=VALUE words of a COMMAND go into its environment, as in a
 * shell. Prints one line per COMMAND: "median p10 p90 min max", in
 * milliseconds. Every run's stdout goes to /dev/null; stderr stays, so a
 * failure shows, and a run that exits non-zero stops it all (exit 1): the
 * time of a command that failed measures nothing. make bench
 * (tools/bench.sh) makes its tables with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_COMMANDS 32

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* "NAME=VALUE", as a shell would take it before a command. */
static int is_assignment(const char *word)
{
	const char *eq = strchr(word, '=');

	return eq && eq != word && strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
					   (size_t)(eq - word);
}

/* One run's time in milliseconds, or -1 when it failed to run or exited non-zero. */
static double run_once(char **argv, int devnull)
{
	double start = now_ms();
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("bench: fork");
		return -1;
	}
	if (pid == 0) {
		for (; is_assignment(*argv); argv++)
			putenv(*argv);
		dup2(devnull, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "bench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	double took = now_ms() - start;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: '%s ...' failed (status %d)\n", argv[0],
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return took;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of sorted[0..n-1], interpolated between neighbours. */
static double quantile(const double *sorted, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	return i + 1 < n ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[n - 1];
}

static int count(const char *s, int min, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > 1000000)
		return -1;
	*out = (int)v;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench [-n RUNS] [-w WARMUP] [-p PAUSE_MS] COMMAND [ARG...] [::: COMMAND [ARG...]]...\n");
	return 2;
}

int main(int argc, char **argv)
{
	char **cmds[MAX_COMMANDS];
	int runs = 100, warmup = 5, pause = 0, ncmds = 0, opt;

	while ((opt = getopt(argc, argv, "+n:w:p:")) != -1)
		if ((opt == 'n' && count(optarg, 1, &runs) < 0) || (opt == 'w' && count(optarg, 0, &warmup) < 0) ||
		    (opt == 'p' && count(optarg, 0, &pause) < 0) || opt == '?')
			return usage();
	struct timespec pause_ts = { pause / 1000, pause % 1000 * 1000000L };
	/* Split the rest at ":::" into NULL-terminated argv arrays. */
	for (int i = optind; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], ":::"))
			continue;
		if (i == optind || ncmds == MAX_COMMANDS)
			return usage();
		char **cmd = argv + optind;
		while (cmd < argv + i && is_assignment(*cmd))
			cmd++;
		if (cmd == argv + i)
			return usage();   /* only NAME=VALUE words: no command */
		cmds[ncmds++] = argv + optind;
		argv[i] = NULL;   /* argv[argc] is NULL already */
		optind = i + 1;
	}
	double *times = calloc((size_t)runs * ncmds, sizeof *times);
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (!times || devnull < 0) {
		perror("bench");
		return 1;
	}
	for (int c = 0; c < ncmds; c++)
		for (int i = 0; i < warmup; i++)
			if (run_once(cmds[c], devnull) < 0)
				return 1;
	for (int i = 0; i < runs; i++)
		for (int c = 0; c < ncmds; c++) {
			if (pause)
				nanosleep(&pause_ts, NULL);
			if ((times[(size_t)c * runs + i] = run_once(cmds[c], devnull)) < 0)
				return 1;
		}
	for (int c = 0; c < ncmds; c++) {
		double *t = times + (size_t)c * runs;
		qsort(t, runs, sizeof *t, by_value);
		printf("%.3f %.3f %.3f %.3f %.3f\n", quantile(t, runs, 0.5), quantile(t, runs, 0.1),
		       quantile(t, runs, 0.9), t[0], t[runs - 1]);
	}
	return 0;
}
