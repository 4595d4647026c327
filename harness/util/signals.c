/* signals.c - the stop flag set by SIGINT and SIGTERM. */
#include "util/signals.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	if (stop_requested) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_requested = 1;
	static const char msg[] = "\ntokenbench: stopping after the requests in flight (again to abort)\n";
	if (write(2, msg, sizeof(msg) - 1) < 0)
		return;
}

void signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int signals_stop_requested(void)
{
	return stop_requested;
}
