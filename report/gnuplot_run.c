/* gnuplot_run.c - starts gnuplot on a script and checks how it ended (see
 * gnuplot_run.h). */
#include "gnuplot_run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/diag.h"

extern char **environ;

#define LOG_MAX (64 * 1024)

const char *pk_gnuplot_program(void)
{
	const char *p = getenv("PERFKIT_GNUPLOT");
	return p && p[0] ? p : "gnuplot";
}

/* Reads fd to its end, keeping the first LOG_MAX bytes in out. */
static void drain(int fd, struct pk_buf *out)
{
	char chunk[4096];
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		size_t room = out->len < LOG_MAX ? LOG_MAX - out->len : 0;
		size_t take = (size_t)r < room ? (size_t)r : room;
		if (take)
			pk_buf_append(out, chunk, take);
	}
}

/* Appends up to max_lines non-empty lines of text, joined with " | ". */
static void put_first_lines(struct pk_buf *err, const char *text, size_t len,
                            int max_lines)
{
	int lines = 0;
	size_t i = 0;
	while (i < len && lines < max_lines) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		size_t a = i, b = j;
		while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r'))
			a++;
		while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r'))
			b--;
		if (b > a) {
			pk_buf_puts(err, lines ? " | " : ": ");
			pk_buf_put_printable(err, text + a, b - a > 300 ? 300 : b - a);
			lines++;
		}
		i = j + 1;
	}
}

/* The program path to exec: relative paths with a '/' made absolute, since
 * the child changes directory first.  *owned gets memory to free. */
static const char *resolve_program(const char *program, const char *dir,
                                   char **owned)
{
	*owned = NULL;
	if (!dir || program[0] == '/' || !strchr(program, '/'))
		return program;
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return program;
	size_t n = strlen(cwd) + strlen(program) + 2;
	char *p = malloc(n);
	if (!p)
		return program;
	memcpy(p, cwd, strlen(cwd));
	p[strlen(cwd)] = '/';
	memcpy(p + strlen(cwd) + 1, program, strlen(program) + 1);
	*owned = p;
	return p;
}

static enum pk_status spawn_failed(struct pk_buf *err, const char *what,
                                   const char *program, int e)
{
	pk_buf_printf(err, "%s ", what);
	pk_buf_put_printable(err, program, strlen(program));
	pk_buf_printf(err, ": %s (install gnuplot, or point PERFKIT_GNUPLOT at it)",
	              strerror(e));
	return PK_ERR_EXTERNAL;
}

enum pk_status pk_gnuplot_run(const char *program, const char *dir,
                              const char *script, const char *script_shown,
                              struct pk_buf *log, struct pk_buf *err)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return spawn_failed(err, "cannot start", program, errno);

	char *owned = NULL;
	const char *exe = resolve_program(program, dir, &owned);
	posix_spawn_file_actions_t fa;
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	if (rc == 0 && dir)
		rc = posix_spawn_file_actions_addchdir_np(&fa, dir);
	pid_t pid = -1;
	if (rc == 0) {
		char *argv[] = { (char *)exe, (char *)script, NULL };
		rc = posix_spawnp(&pid, exe, &fa, NULL, argv, environ);
	}
	posix_spawn_file_actions_destroy(&fa);
	free(owned);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		return spawn_failed(err, "cannot run", program, rc);
	}

	struct pk_buf out = PK_BUF_INIT;
	drain(pfd[0], &out);
	close(pfd[0]);
	int status = 0;
	pid_t w;
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);

	enum pk_status st = PK_OK;
	if (w < 0) {
		st = spawn_failed(err, "cannot wait for", program, errno);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		pk_buf_puts(err, "gnuplot (");
		pk_buf_put_printable(err, program, strlen(program));
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			pk_buf_puts(err, ") could not be started (exit status 127)");
		else if (WIFEXITED(status))
			pk_buf_printf(err, ") failed with exit status %d", WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			pk_buf_printf(err, ") was killed by signal %d", WTERMSIG(status));
		else
			pk_buf_puts(err, ") failed");
		pk_buf_puts(err, " on ");
		pk_buf_put_printable(err, script_shown, strlen(script_shown));
		put_first_lines(err, out.data ? out.data : "", out.len, 3);
		st = PK_ERR_EXTERNAL;
	}
	if (log && out.len)
		pk_buf_append(log, out.data, out.len);
	pk_buf_free(&out);
	return st;
}
