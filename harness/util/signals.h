/* signals.h - SIGINT/SIGTERM ask the loops to stop; SIGPIPE is ignored. */
#ifndef TB_SIGNALS_H
#define TB_SIGNALS_H

/* installs the handlers; a second SIGINT ends the process at once */
void signals_install(void);
/* whether the user asked to stop */
int signals_stop_requested(void);

#endif
